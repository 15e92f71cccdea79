namespace SparsityKit.Methods;

/// <summary>
/// When dynamic sparse training (SET, RigL) changes its masks and how much: every <see cref="UpdateEvery"/> steps
/// (Delta T) until <see cref="EndFraction"/> of training (T_end), a fraction f_decay(t) = alpha/2 (1 + cos(pi t / T_end))
/// of each layer's active weights is dropped and as many grown (Evci et al. 2020, section 3; REFERENCES.md section 8).
/// </summary>
/// <param name="UpdateEvery">Delta T, steps between mask updates (RigL: 100).</param>
/// <param name="DropFraction">alpha, the fraction dropped at the first update, decayed on a cosine (RigL: 0.3).</param>
/// <param name="EndFraction">T_end as a fraction of training; no update at or after it (RigL: 3/4).</param>
public sealed record DropAndGrowSchedule(int UpdateEvery = 100, double DropFraction = 0.3, double EndFraction = 0.75)
{
    /// <summary>RigL's settings: Delta T = 100, alpha = 0.3, T_end = 3/4 of training.</summary>
    public static DropAndGrowSchedule RigL { get; } = new();

    /// <summary>Throws naming the first setting out of range and its valid range.</summary>
    public void Validate()
    {
        if (UpdateEvery <= 0) throw new ArgumentOutOfRangeException(nameof(UpdateEvery), UpdateEvery, "Delta T must be a positive number of steps (RigL uses 100).");
        if (!(DropFraction > 0 && DropFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(DropFraction), DropFraction, "alpha must lie in (0, 1] (RigL uses 0.3).");
        if (!(EndFraction > 0 && EndFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(EndFraction), EndFraction, "The end must lie in (0, 1] of training (RigL uses 0.75).");
    }

    /// <summary>T_end: the first step at which masks no longer change.</summary>
    public long EndStep(long totalSteps) => (long)Math.Floor(EndFraction * totalSteps);

    /// <summary>Whether the masks are updated with the gradient of step <paramref name="step"/> (steps done before it).</summary>
    public bool IsUpdateStep(long step, long totalSteps) => step > 0 && step % UpdateEvery == 0 && step < EndStep(totalSteps);

    /// <summary>f_decay(t): the fraction of each layer's active weights dropped (and regrown) at step <paramref name="step"/>.</summary>
    public double DropFractionAt(long step, long totalSteps) =>
        DropFraction / 2 * (1 + Math.Cos(Math.PI * Math.Min(step, EndStep(totalSteps)) / Math.Max(1, EndStep(totalSteps))));

    public override string ToString() => $"every {UpdateEvery}, drop {DropFraction:0.###} cosine, until {EndFraction:0.##%}";
}
