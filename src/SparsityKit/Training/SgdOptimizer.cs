using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>SGD with momentum, Nesterov momentum and weight decay, with PyTorch's update rule (dampening 0).</summary>
public sealed class SgdOptimizer : Optimizer
{
    private readonly Sgd _settings;
    private readonly Tensor[]? _momentum;

    internal SgdOptimizer(IReadOnlyList<(string Name, Parameter Parameter)> parameters, Sgd settings)
        : base(parameters, settings.LearningRate)
    {
        _settings = settings;
        if (settings.Momentum > 0) _momentum = ZerosLike(parameters);
    }

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        double weightDecay = WeightDecayOf(index, _settings.WeightDecay);
        using Scalar decay = weightDecay, momentum = _settings.Momentum, step = -LearningRate;   // kept alive: see Scalars
        var direction = weightDecay != 0 ? grad.add(parameter, alpha: decay) : grad;
        if (_momentum is not null)
        {
            // The buffer starts at zero, so the first step equals PyTorch's (which seeds it with the gradient).
            var buffer = _momentum[index].mul_(momentum).add_(direction, Scalars.One);
            direction = _settings.Nesterov ? direction.add(buffer, alpha: momentum) : buffer;
        }
        parameter.add_(direction, alpha: step);
    }

    protected override IEnumerable<Tensor> StateOf(int index) => _momentum is null ? [] : [_momentum[index]];

    public override void Dispose()
    {
        if (_momentum is not null) foreach (var t in _momentum) t.Dispose();
    }
}
