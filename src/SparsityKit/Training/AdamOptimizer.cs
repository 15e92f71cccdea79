using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>Adam with bias correction and L2 weight decay added to the gradient (PyTorch's Adam, not AdamW).</summary>
public sealed class AdamOptimizer : Optimizer
{
    private const float SmallestNormalFloat = 1.1754944e-38f;
    private readonly Adam _settings;
    private readonly Tensor[] _firstMoment, _secondMoment;
    private long _step;
    private double _stepSize, _denominatorScale;

    internal AdamOptimizer(IReadOnlyList<(string Name, Parameter Parameter)> parameters, Adam settings)
        : base(parameters, settings.LearningRate)
    {
        _settings = settings;
        _firstMoment = ZerosLike(parameters);
        _secondMoment = ZerosLike(parameters);
    }

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        var g = _settings.WeightDecay != 0 ? grad.add(parameter, alpha: _settings.WeightDecay) : grad;
        var m = _firstMoment[index].lerp_(g, 1 - _settings.Beta1);
        var v = _secondMoment[index].mul_(_settings.Beta2).addcmul_(g, g, 1 - _settings.Beta2);
        // denominator = sqrt(v / (1 - beta2^t)) + eps. libtorch's CPU sqrt is about 7x slower on zeros, and the
        // moments of pruned weights are exactly zero, so v is clamped to the smallest normal float first: the
        // square root of that (1e-19) vanishes when eps is added, so the result is bit-identical.
        var denominator = v.clamp_min(SmallestNormalFloat).sqrt_().mul_(_denominatorScale).add_(_settings.Epsilon);
        parameter.addcdiv_(m, denominator, -_stepSize);
    }

    protected override void BeginStep()
    {
        _step++;
        _stepSize = LearningRate / (1 - Math.Pow(_settings.Beta1, _step));
        _denominatorScale = 1 / Math.Sqrt(1 - Math.Pow(_settings.Beta2, _step));
    }

    protected override IEnumerable<Tensor> StateOf(int index) => [_firstMoment[index], _secondMoment[index]];

    public override void Dispose()
    {
        foreach (var t in _firstMoment.Concat(_secondMoment)) t.Dispose();
    }
}
