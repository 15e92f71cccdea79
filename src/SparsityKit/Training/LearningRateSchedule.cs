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

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range. <see cref="TrainConfig.Validate"/>
    /// calls it, so a schedule changed with <c>with</c> after construction is checked before training too.
    /// </summary>
    public virtual void Validate()
    {
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "Warm-up steps must not be negative (0 for none).");
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
    public IReadOnlyList<long> Milestones { get; init; } = CheckMilestones(Milestones);
    public double Gamma { get; init; } = CheckGamma(Gamma);

    public override bool IsConstant => false;

    public override void Validate()
    {
        base.Validate();
        CheckMilestones(Milestones);
        CheckGamma(Gamma);
    }

    protected override double DecayFactor(long step, long totalSteps) =>
        Math.Pow(Gamma, Milestones.Count(m => step >= m));

    private static IReadOnlyList<long> CheckMilestones(IReadOnlyList<long> milestones)
    {
        if (milestones is null) throw new ArgumentOutOfRangeException(nameof(Milestones), "Give the milestone steps, e.g. [30_000, 40_000].");
        for (int i = 0; i < milestones.Count; i++)
            if (milestones[i] < 0 || (i > 0 && milestones[i] <= milestones[i - 1]))
                throw new ArgumentOutOfRangeException(nameof(Milestones), $"[{string.Join(", ", milestones)}]",
                    "Milestones must be steps of 0 or more in increasing order, each once, e.g. [30_000, 40_000].");
        return milestones;
    }

    // Gamma above 1 (a rate that grows) is allowed, as in PyTorch; 0, negative and non-finite factors are not.
    private static double CheckGamma(double gamma) => gamma > 0 && double.IsFinite(gamma) ? gamma
        : throw new ArgumentOutOfRangeException(nameof(Gamma), gamma, "Gamma, the factor applied at each milestone, must be a positive number, e.g. 0.1.");
}

/// <summary>Cosine decay from the base rate after warm-up down to <see cref="FinalFactor"/> times it at the last step.</summary>
public sealed record CosineDecay(double FinalFactor = 0, int WarmupSteps = 0) : LearningRateSchedule(WarmupSteps)
{
    public double FinalFactor { get; init; } = CheckFinalFactor(FinalFactor);

    public override bool IsConstant => false;

    public override void Validate()
    {
        base.Validate();
        CheckFinalFactor(FinalFactor);
    }

    private static double CheckFinalFactor(double factor) => factor is >= 0 and <= 1 ? factor
        : throw new ArgumentOutOfRangeException(nameof(FinalFactor), factor,
            "The final factor is the fraction of the base learning rate left at the last step: a number in [0, 1], e.g. 0 or 0.01.");

    protected override double DecayFactor(long step, long totalSteps)
    {
        long span = Math.Max(1, totalSteps - WarmupSteps);
        double progress = Math.Clamp((step - WarmupSteps) / (double)span, 0, 1);
        return FinalFactor + (1 - FinalFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}

/// <summary>
/// Vaswani et al.'s Transformer schedule (2017, section 5.3): linear warm-up over <see cref="LearningRateSchedule.WarmupSteps"/>,
/// then decay with the inverse square root of the step. With base rate d_model^-0.5 x warmup^-0.5 the rate is
/// d_model^-0.5 x min(s^-0.5, s x warmup^-1.5) at (1-based) step s, their formula.
/// </summary>
public sealed record InverseSquareRootDecay(int WarmupSteps) : LearningRateSchedule(WarmupSteps)
{
    public override bool IsConstant => false;

    public override void Validate()
    {
        base.Validate();
        if (WarmupSteps < 1) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "The inverse square root decay needs a warm-up of at least one step, e.g. 4000.");
    }

    protected override double DecayFactor(long step, long totalSteps) => Math.Sqrt(WarmupSteps / (step + 1.0));
}
