namespace SparsityKit.Training;

/// <summary>
/// The base rate until <see cref="FlatFraction"/> of training, then linear decay to zero at the last step:
/// Molchanov et al.'s <c>lr_linear</c> (flat for 100 of 200 epochs) is <c>new FlatThenLinearDecay(0.5)</c>, and their
/// <c>lr_linear_to0</c> is <c>new FlatThenLinearDecay(0)</c>.
/// </summary>
public sealed record FlatThenLinearDecay(double FlatFraction = 0.5, int WarmupSteps = 0) : LearningRateSchedule(WarmupSteps)
{
    public override bool IsConstant => false;

    protected override double DecayFactor(long step, long totalSteps)
    {
        if (!(FlatFraction >= 0 && FlatFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(FlatFraction), FlatFraction, "Must lie in [0, 1].");
        double flatEnd = Math.Max(WarmupSteps, FlatFraction * totalSteps);
        if (step < flatEnd) return 1;
        return Math.Clamp((totalSteps - step) / Math.Max(1, totalSteps - flatEnd), 0, 1);
    }
}
