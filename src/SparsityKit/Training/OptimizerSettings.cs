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

    // Written as "not inside" so that NaN, which fails every comparison, is rejected too.
    protected static void CheckFraction(double value, string name, string example)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a number in [0, 1), e.g. {example}.");
    }

    protected static void CheckWeightDecay(double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException("WeightDecay", value, "Weight decay must be a finite number, 0 or more (0 for none), e.g. 1e-4.");
    }
}

/// <summary>Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, as in PyTorch.</summary>
public sealed record Sgd(double LearningRate, double Momentum = 0, bool Nesterov = false, double WeightDecay = 0)
    : OptimizerSettings(LearningRate)
{
    public override Optimizer Create(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters)
    {
        Validate();
        CheckFraction(Momentum, nameof(Momentum), "0.9 (0 for none)");
        if (Nesterov && Momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(Nesterov));
        CheckWeightDecay(WeightDecay);
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
        CheckFraction(Beta1, nameof(Beta1), "0.9");
        CheckFraction(Beta2, nameof(Beta2), "0.999");
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "Epsilon must be a positive finite number, e.g. 1e-8.");
        CheckWeightDecay(WeightDecay);
        return new AdamOptimizer(parameters, this);
    }
}
