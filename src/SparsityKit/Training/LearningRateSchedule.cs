namespace SparsityKit.Training;

/// <summary>
/// The learning rate as a multiple of the base rate at each step, after an optional linear warm-up
/// (from 1/warmup of the base rate up to the base rate over <see cref="WarmupSteps"/> steps).
/// </summary>
public abstract record LearningRateSchedule(int WarmupSteps = 0)
{
    /// <summary>The base rate throughout (after warm-up, if any).</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantRate();

    /// <summary>The multiplier of the base learning rate for step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public double Factor(long step, long totalSteps)
    {
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "Warm-up steps must not be negative.");
        if (step < WarmupSteps) return (step + 1.0) / WarmupSteps;
        return DecayFactor(step, totalSteps);
    }

    /// <summary>True when the factor never changes, so the trainer need not touch the rate each step.</summary>
    public virtual bool IsConstant => WarmupSteps == 0;

    protected abstract double DecayFactor(long step, long totalSteps);
}

/// <summary>The base rate after warm-up.</summary>
public sealed record ConstantRate(int WarmupSteps = 0) : LearningRateSchedule(WarmupSteps)
{
    protected override double DecayFactor(long step, long totalSteps) => 1.0;
}

/// <summary>The rate is multiplied by <see cref="Gamma"/> at each milestone step (PyTorch's MultiStepLR).</summary>
public sealed record StepDecay(IReadOnlyList<long> Milestones, double Gamma = 0.1, int WarmupSteps = 0) : LearningRateSchedule(WarmupSteps)
{
    public override bool IsConstant => false;

    protected override double DecayFactor(long step, long totalSteps) =>
        Math.Pow(Gamma, Milestones.Count(m => step >= m));
}

/// <summary>Cosine decay from the base rate after warm-up down to <see cref="FinalFactor"/> times it at the last step.</summary>
public sealed record CosineDecay(double FinalFactor = 0, int WarmupSteps = 0) : LearningRateSchedule(WarmupSteps)
{
    public override bool IsConstant => false;

    protected override double DecayFactor(long step, long totalSteps)
    {
        long span = Math.Max(1, totalSteps - WarmupSteps);
        double progress = Math.Clamp((step - WarmupSteps) / (double)span, 0, 1);
        return FinalFactor + (1 - FinalFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
