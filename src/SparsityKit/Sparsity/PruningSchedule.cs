namespace SparsityKit.Sparsity;

/// <summary>When masks are recomputed during training, and to what total sparsity.</summary>
public abstract record PruningSchedule
{
    /// <summary>Prune once, to the final sparsity, after <paramref name="step"/> optimizer steps (0 = before training).</summary>
    public static PruningSchedule OneShot(long step) => new OneShotSchedule(step);

    /// <summary>
    /// Zhu and Gupta's gradual pruning: s(t) = s_f + (s_i - s_f)(1 - p)^exponent with p = (t - begin) / (end - begin),
    /// masks recomputed every <paramref name="every"/> steps from <paramref name="begin"/> to <paramref name="end"/> (and at end).
    /// </summary>
    public static PruningSchedule Gradual(long begin, long end, long every, double initialSparsity = 0, double exponent = 3) =>
        new GradualSchedule(begin, end, every, initialSparsity, exponent);

    /// <summary>The total sparsity to prune to after <paramref name="step"/> steps, or null when no pruning event is due.</summary>
    public abstract double? TargetAt(long step, double finalSparsity);

    /// <summary>The last step at which masks change.</summary>
    public abstract long LastEvent { get; }
}

public sealed record OneShotSchedule : PruningSchedule
{
    public OneShotSchedule(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "A pruning step must not be negative.");
        Step = step;
    }

    public long Step { get; }
    public override long LastEvent => Step;
    public override double? TargetAt(long step, double finalSparsity)
    {
        SparsityDistribution.CheckFraction(finalSparsity, nameof(finalSparsity));
        return step == Step ? finalSparsity : null;
    }
}

public sealed record GradualSchedule : PruningSchedule
{
    public GradualSchedule(long begin, long end, long every, double initialSparsity, double exponent)
    {
        if (begin < 0) throw new ArgumentOutOfRangeException(nameof(begin), begin, "Pruning cannot begin before step 0.");
        if (end <= begin)
            throw new ArgumentException($"The pruning schedule ends (step {end}) before it begins (step {begin}): end must be after begin.", nameof(end));
        if (every <= 0) throw new ArgumentOutOfRangeException(nameof(every), every, "The pruning frequency must be a positive number of steps.");
        SparsityDistribution.CheckFraction(initialSparsity, nameof(initialSparsity));
        if (!(exponent > 0)) throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "The exponent must be positive (Zhu and Gupta use 3).");
        (Begin, End, Every, InitialSparsity, Exponent) = (begin, end, every, initialSparsity, exponent);
    }

    public long Begin { get; }
    public long End { get; }
    public long Every { get; }
    public double InitialSparsity { get; }
    public double Exponent { get; }
    public override long LastEvent => End;

    /// <summary>The schedule's sparsity at any step, whether or not masks change there.</summary>
    public double SparsityAt(long step, double finalSparsity)
    {
        SparsityDistribution.CheckFraction(finalSparsity, nameof(finalSparsity));
        if (finalSparsity < InitialSparsity)
            throw new ArgumentException($"The final sparsity {finalSparsity} is below the initial sparsity {InitialSparsity}.");
        double p = Math.Clamp((step - Begin) / (double)(End - Begin), 0, 1);
        return finalSparsity + (InitialSparsity - finalSparsity) * Math.Pow(1 - p, Exponent);
    }

    public override double? TargetAt(long step, double finalSparsity)
    {
        SparsityDistribution.CheckFraction(finalSparsity, nameof(finalSparsity));
        bool due = step >= Begin && step <= End && ((step - Begin) % Every == 0 || step == End);
        return due ? SparsityAt(step, finalSparsity) : null;
    }
}
