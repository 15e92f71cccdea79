using SparsityKit.Data;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// Tells a diverged run by loss growth, not only by NaN: Adam at a learning rate of 1e6 keeps a finite loss and ends
/// at chance accuracy. A report window's training loss above the bound (<see cref="Multiple"/> times the larger of
/// chance level ln(classes) and the model's cross-entropy before the first step) is only a suspicion, because a
/// method's loss term can be large by design (a KL term on a small data set, a warming-up penalty). It is confirmed
/// on the data fit alone: the cross-entropy of the model on a fixed probe of training examples. A run has diverged
/// when that is above the bound at two reports in a row, or at the last one. Normal training costs nothing: the probe
/// runs once before the first step and then only under suspicion, in evaluation mode, drawing no random numbers.
/// </summary>
internal sealed class DivergenceCheck : IDisposable
{
    /// <summary>How far above chance (or above the untrained model) the cross-entropy must climb to count as diverged.</summary>
    public const double Multiple = 10;

    private const long ProbeExamples = 256;
    private const int Strikes = 2;

    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Tensor _probeImages, _probeLabels;
    private readonly double _chance, _initial;
    private int _strikes;

    /// <summary>Measures the model's starting cross-entropy; call after the method's start, before the first step.</summary>
    public DivergenceCheck(nn.Module<Tensor, Tensor> model, IDataSource data)
    {
        _model = model;
        // The first training examples (views, for whole tensors), kept past the caller's dispose scope and disposed with this check.
        using (NewDisposeScope())
        {
            var (images, labels) = data.TrainingProbe(ProbeExamples);
            _probeImages = images.DetachFromDisposeScope();
            _probeLabels = labels.DetachFromDisposeScope();
        }
        _chance = Math.Log(Math.Max(2, data.ClassCount));
        _initial = ProbeLoss();
        Bound = Multiple * Math.Max(_chance, double.IsFinite(_initial) ? _initial : 0);
    }

    /// <summary>The cross-entropy above which a run counts as diverged.</summary>
    public double Bound { get; }

    /// <summary>The probe's cross-entropy when the last call found a divergence.</summary>
    public double LastProbeLoss { get; private set; } = double.NaN;

    /// <summary>Whether the run has diverged, given the mean (finite) training loss of the report window just ended.</summary>
    public bool Diverged(double windowLoss, bool lastReport)
    {
        if (!(windowLoss > Bound))
        {
            _strikes = 0;
            return false;
        }
        LastProbeLoss = ProbeLoss();
        _strikes = LastProbeLoss > Bound || double.IsNaN(LastProbeLoss) ? _strikes + 1 : 0;
        return _strikes >= Strikes || (_strikes > 0 && lastReport);
    }

    /// <summary>Why the run counts as diverged, for the exception's message.</summary>
    public string Explain(double windowLoss, long step) =>
        $"the training loss grew to {windowLoss:G4} by step {step}, and the cross-entropy on the first {_probeImages.shape[0]} training " +
        $"examples is {LastProbeLoss:G4}: more than {Multiple} times the larger of chance level ln({Math.Round(Math.Exp(_chance))}) = {_chance:F2} " +
        $"and the untrained model's {_initial:F2}, at {(_strikes >= Strikes ? $"{_strikes} reports in a row" : "the last report")}";

    public void Dispose()
    {
        _probeImages.Dispose();
        _probeLabels.Dispose();
    }

    private double ProbeLoss() => Evaluation.Evaluate(_model, _probeImages, _probeLabels, (int)_probeImages.shape[0]).Loss;
}
