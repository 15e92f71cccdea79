using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>The result of <see cref="Trainer.Train"/>: the trained model, its history and its snapshots.</summary>
public sealed class TrainingRun(string name, nn.Module<Tensor, Tensor> model, TrainConfig config, TrainingMethod? method,
    IReadOnlyList<HistoryRow> history, IReadOnlyDictionary<long, WeightSnapshot> snapshots, TimeSpan elapsed)
{
    public string Name { get; } = name;
    public nn.Module<Tensor, Tensor> Model { get; } = model;
    public TrainConfig Config { get; } = config;
    public TrainingMethod? Method { get; } = method;

    /// <summary>One row per evaluation, in step order; the last row is the end of training.</summary>
    public IReadOnlyList<HistoryRow> History { get; } = history;

    /// <summary>Weight copies at the steps of <see cref="TrainConfig.SnapshotSteps"/>, by step.</summary>
    public IReadOnlyDictionary<long, WeightSnapshot> Snapshots { get; } = snapshots;

    public TimeSpan Elapsed { get; } = elapsed;

    public HistoryRow Final => History[^1];

    public double TestAccuracy => Final.TestAccuracy;

    /// <summary>The row with the lowest validation loss (Frankle and Carbin's early-stopping point), or the lowest test loss without a validation set.</summary>
    public HistoryRow EarlyStopping => History.MinBy(r => r.ValidationLoss ?? r.TestLoss)!;

    public override string ToString() =>
        $"{Name}: {Config.Steps} steps in {Elapsed.TotalSeconds:F1} s, test accuracy {TestAccuracy:P2} (loss {Final.TestLoss:F4})";
}
