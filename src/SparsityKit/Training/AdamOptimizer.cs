using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>Adam with bias correction and L2 weight decay added to the gradient (PyTorch's Adam, not AdamW).</summary>
public sealed class AdamOptimizer : Optimizer
{
    internal const float SmallestNormalFloat = 1.1754944e-38f;
    private readonly Adam _settings;
    private readonly Tensor[] _firstMoment, _secondMoment;
    private readonly bool[] _fusable;   // whether FusedAdamKernel can update each parameter
    private long _step;
    private double _stepSize, _epsilon;

    internal AdamOptimizer(IReadOnlyList<(string Name, Parameter Parameter)> parameters, Adam settings)
        : base(parameters, settings.LearningRate)
    {
        _settings = settings;
        _firstMoment = ZerosLike(parameters);
        _secondMoment = ZerosLike(parameters);
        // Checked once here, not every step: a parameter and its moments keep their device, type and layout.
        _fusable = parameters.Select((np, i) => FusedAdamKernel.Supports(np.Parameter, _firstMoment[i], _secondMoment[i])).ToArray();
    }

    /// <summary>Whether CPU updates use <see cref="FusedAdamKernel"/> (one pass) rather than libtorch ops (tests compare the two).</summary>
    internal bool UseFusedKernel { get; set; } = true;

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (TryFusedUpdate(index, parameter, grad, null)) return;
        double weightDecay = WeightDecayOf(index, _settings.WeightDecay);
        // Kept alive: see Scalars.
        using Scalar decay = weightDecay, beta2 = _settings.Beta2, towardSquare = 1 - _settings.Beta2,
            smallest = SmallestNormalFloat, epsilon = _epsilon, step = -_stepSize;
        using Tensor towardGradient = 1 - _settings.Beta1;   // lerp_ takes its weight as a (0-dimensional) tensor
        var g = weightDecay != 0 ? grad.add(parameter, alpha: decay) : grad;
        var m = _firstMoment[index].lerp_(g, towardGradient);
        var v = _secondMoment[index].mul_(beta2).addcmul_(g, g, towardSquare);
        // m_hat / (sqrt(v_hat) + eps) = c * m / (sqrt(v) + eps * sqrt(1 - beta2^t)) with c = sqrt(1 - beta2^t) / (1 - beta1^t):
        // the bias corrections move into the step size and eps (Kingma and Ba, section 2), saving a pass over the weights.
        // libtorch's CPU sqrt is about 7x slower on zeros, and the moments of pruned weights are exactly zero, so v
        // is clamped to the smallest normal float first: its square root (1e-19) vanishes beside eps.
        var denominator = v.clamp_min(smallest).sqrt_().add_(epsilon, Scalars.One);
        parameter.addcdiv_(m, denominator, step);
    }

    protected override void UpdateMasked(int index, Parameter parameter, Tensor grad, Tensor mask)
    {
        if (!TryFusedUpdate(index, parameter, grad, mask)) base.UpdateMasked(index, parameter, grad, mask);
    }

    /// <summary>Runs the update (mask included) in <see cref="FusedAdamKernel"/> when it applies; false otherwise.</summary>
    private bool TryFusedUpdate(int index, Parameter parameter, Tensor grad, Tensor? mask)
    {
        if (!UseFusedKernel || !_fusable[index] || !FusedAdamKernel.Supports(grad, mask)) return false;
        FusedAdamKernel.Update(parameter, grad, _firstMoment[index], _secondMoment[index], mask, (float)_settings.Beta1,
            (float)_settings.Beta2, (float)WeightDecayOf(index, _settings.WeightDecay), (float)_stepSize, (float)_epsilon);
        return true;
    }

    protected override void BeginStep()
    {
        _step++;
        double secondCorrection = Math.Sqrt(1 - Math.Pow(_settings.Beta2, _step));
        _stepSize = LearningRate * secondCorrection / (1 - Math.Pow(_settings.Beta1, _step));
        _epsilon = _settings.Epsilon * secondCorrection;
    }

    protected override IEnumerable<Tensor> StateOf(int index) => [_firstMoment[index], _secondMoment[index]];

    internal override long StepCount { get => _step; set => _step = value; }

    public override void Dispose()
    {
        foreach (var t in _firstMoment.Concat(_secondMoment)) t.Dispose();
    }
}
