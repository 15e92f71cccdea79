using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>Which optimizer to train with, and its hyper-parameters. Immutable; build one with <see cref="Create"/>.</summary>
public abstract record OptimizerSettings(double LearningRate)
{
    /// <summary>Builds the optimizer over the given parameters.</summary>
    public abstract Optimizer Create(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters);

    protected void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive finite number.");
    }
}

/// <summary>Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, as in PyTorch.</summary>
public sealed record Sgd(double LearningRate, double Momentum = 0, bool Nesterov = false, double WeightDecay = 0)
    : OptimizerSettings(LearningRate)
{
    public override Optimizer Create(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters)
    {
        Validate();
        if (Momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (Nesterov && Momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(Nesterov));
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must not be negative.");
        return new SgdOptimizer(parameters, this);
    }
}

/// <summary>Adam (Kingma and Ba) with optional L2 weight decay added to the gradient, as in PyTorch's Adam.</summary>
public sealed record Adam(double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0)
    : OptimizerSettings(LearningRate)
{
    public override Optimizer Create(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters)
    {
        Validate();
        if (Beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Beta1 must be in [0, 1).");
        if (Beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Beta2 must be in [0, 1).");
        if (!(Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "Epsilon must be positive.");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must not be negative.");
        return new AdamOptimizer(parameters, this);
    }
}
