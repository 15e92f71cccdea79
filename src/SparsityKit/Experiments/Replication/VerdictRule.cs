namespace SparsityKit.Experiments.Replication;

/// <summary>What a claim expects of a quantity A against a quantity B.</summary>
public enum Expectation
{
    /// <summary>A is higher than B.</summary>
    Above,
    /// <summary>A is lower than B.</summary>
    Below,
    /// <summary>A is not lower than B ("at least as accurate", "comparable or better").</summary>
    AtLeast,
}

/// <summary>One comparison of A with B (at one sparsity level), and its verdict by <see cref="VerdictRule"/>.</summary>
public sealed record Comparison(Spread A, Spread B, Expectation Expected)
{
    public double Difference => A.Mean - B.Mean;

    /// <summary>Standard error of the difference of two independent means: sqrt(seA² + seB²); NaN if a side has one trial.</summary>
    public double StandardError => Math.Sqrt(A.StandardError * A.StandardError + B.StandardError * B.StandardError);

    public Verdict Verdict => VerdictRule.Of(this);
}

/// <summary>
/// The one rule every verdict of the replication report comes from (<see cref="Text"/>): a difference counts when Welch's
/// t exceeds its two-sided 95% critical value (<see cref="CriticalValue"/>); a claim over several levels combines its
/// levels' verdicts. A fixed 2 standard errors would let two or three trials, whose spread is badly estimated, decide.
/// </summary>
public static class VerdictRule
{
    /// <summary>The two-sided confidence the critical value stands for.</summary>
    public const double Confidence = 0.95;

    public const string Text =
        "A difference between two means counts when it exceeds t standard errors of the difference, SE = sqrt(sA²/nA + sB²/nB) " +
        "(sample standard deviations over trials; a published number counts as exact), where t is the two-sided 95% quantile " +
        "of Student's t with Welch's degrees of freedom (Welch's t-test): 4.30 for 2 trials against 2, 2.78 for 3 against 3, " +
        "2.31 for 5 against 5. \"A above B\" holds if A − B > t SE, does not hold if A − B < −t SE, and is within noise " +
        "otherwise; \"A below B\" is the mirror; \"A at least B\" holds unless A − B < −t SE. A side with a single trial has " +
        "no standard error: within noise. A claim over several sparsity " +
        "levels does not hold if any level does not hold, holds if every level holds, holds in shape if some hold and the rest " +
        "are within noise, and is within noise if all are. A claim that something happens at a level (\"falls below dense from " +
        "21%\") holds if the highest level from which A stays below B (significantly there, in the mean below it) lies within a " +
        "factor 1.6 (two rounds of 20% pruning) of the paper's level, holds in shape if it lies farther, and does not hold if A " +
        "never falls below B. A claim about levels no store reached, or a missing store, is not run.";

    /// <summary>The verdict of one comparison.</summary>
    public static Verdict Of(Comparison c)
    {
        double se = c.StandardError, d = c.Difference;
        if (double.IsNaN(d)) return Verdict.NotRun;
        if (double.IsNaN(se)) return Verdict.WithinNoise;
        double t = CriticalValue(c);
        bool above = d > t * se, below = d < -t * se;
        return c.Expected switch
        {
            Expectation.Above => above ? Verdict.Holds : below ? Verdict.DoesNotHold : Verdict.WithinNoise,
            Expectation.Below => below ? Verdict.Holds : above ? Verdict.DoesNotHold : Verdict.WithinNoise,
            _ => below ? Verdict.DoesNotHold : Verdict.Holds,
        };
    }

    /// <summary>
    /// How many standard errors the comparison's difference must exceed: Student's t quantile at the Welch–Satterthwaite
    /// degrees of freedom, (vA + vB)² / (vA²/(nA−1) + vB²/(nB−1)) with v = s²/n; a published side adds no variance. With no
    /// variance on either side (identical trials), any difference counts.
    /// </summary>
    public static double CriticalValue(Comparison c)
    {
        static double Variance(Spread s) => s.Count < 2 ? 0 : s.StandardError * s.StandardError;
        static double Term(Spread s) => s.Count < 2 ? 0 : Variance(s) * Variance(s) / (s.Count - 1);
        if (Term(c.A) + Term(c.B) == 0) return 0;
        double freedom = Math.Pow(Variance(c.A) + Variance(c.B), 2) / (Term(c.A) + Term(c.B));
        return MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, freedom, 1 - (1 - Confidence) / 2);
    }

    /// <summary>The verdict of a claim over several levels, from the verdicts at each.</summary>
    public static Verdict Combine(IEnumerable<Verdict> levels)
    {
        var v = levels.Where(l => l != Verdict.NotRun).ToList();
        if (v.Count == 0) return Verdict.NotRun;
        if (v.Contains(Verdict.DoesNotHold)) return Verdict.DoesNotHold;
        if (v.All(l => l == Verdict.Holds)) return Verdict.Holds;
        return v.Contains(Verdict.Holds) || v.Contains(Verdict.HoldsInShape) ? Verdict.HoldsInShape : Verdict.WithinNoise;
    }

    /// <summary>Levels within this factor of a paper's level count as the same level.</summary>
    public const double LevelFactor = 1.6;

    /// <summary>
    /// Where A falls below B for good, over levels of weights remaining: the highest level at which A is significantly
    /// below B and A's mean is below B's at every lower level; null if there is none. The verdict compares it with the
    /// paper's level (<paramref name="published"/>); levels that stop above <c>published × LevelFactor</c> mean not run.
    /// </summary>
    public static (Verdict Verdict, double? Level) FallsBelow(IReadOnlyList<(double Level, Comparison Comparison)> levels, double published)
    {
        if (levels.Count == 0 || levels.Min(l => l.Level) > published * LevelFactor) return (Verdict.NotRun, null);
        var ordered = levels.OrderByDescending(l => l.Level).ToList();
        double? crossing = null;
        for (int i = 0; i < ordered.Count; i++)
        {
            var (level, c) = ordered[i];
            if (c.Expected != Expectation.Below) throw new ArgumentException("FallsBelow takes comparisons that expect A below B.", nameof(levels));
            if (c.Verdict == Verdict.Holds && ordered.Skip(i).All(l => l.Comparison.Difference < 0)) { crossing = level; break; }
        }
        if (crossing is null)
            return (ordered.Any(l => double.IsNaN(l.Comparison.StandardError)) ? Verdict.WithinNoise : Verdict.DoesNotHold, null);
        double ratio = Math.Max(crossing.Value / published, published / crossing.Value);
        return (ratio <= LevelFactor ? Verdict.Holds : Verdict.HoldsInShape, crossing);
    }
}
