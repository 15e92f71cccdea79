namespace SparsityKit.Experiments;

/// <summary>
/// Finds the setting of a regularisation knob (variational dropout's KL weight, L0's lambda) that gives a target
/// sparsity. Neither method takes a sparsity directly, so the paper sweeps the knob and plots every run at the
/// sparsity it actually reached; this search does the same with few runs: it brackets the target by multiplying or
/// dividing the knob by <c>factor</c>, then narrows the bracket by interpolating logit(sparsity) against log(knob),
/// the near-straight line both methods follow, kept inside the bracket's middle 80% so that every run shrinks it.
/// </summary>
public static class SparsitySearch
{
    /// <summary>
    /// Searches a positive knob whose sparsity rises with it. <paramref name="trial"/> trains (or evaluates) at one knob
    /// value and returns its result and achieved sparsity. Stops when a trial lands within <paramref name="tolerance"/>
    /// of the target, or after <paramref name="maxTrials"/> new trials. <paramref name="known"/> are trials already run
    /// at the same settings (for another target, say): the search starts from the tightest bracket they give, and runs
    /// nothing when one of them is already within the tolerance.
    /// </summary>
    public static SparsitySearchResult<T> Run<T>(double targetSparsity, Func<double, (T Result, double Sparsity)> trial,
        double initialKnob, double factor = 4, int maxTrials = 6, double tolerance = 0.005, Action<SearchTrial<T>>? onTrial = null,
        IEnumerable<SearchTrial<T>>? known = null)
    {
        if (!(targetSparsity >= 0 && targetSparsity <= 1)) throw new ArgumentOutOfRangeException(nameof(targetSparsity), targetSparsity, "Sparsity lies in [0, 1].");
        if (!(initialKnob > 0) || double.IsInfinity(initialKnob)) throw new ArgumentOutOfRangeException(nameof(initialKnob), initialKnob, "The knob must be positive and finite.");
        if (!(factor > 1) || double.IsInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The bracketing factor must be above 1.");
        if (maxTrials < 1) throw new ArgumentOutOfRangeException(nameof(maxTrials), maxTrials, "At least one trial is needed.");
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must not be negative.");

        var trials = new List<SearchTrial<T>>(known ?? []);
        int newTrials = 0;
        SearchTrial<T> Run(double knob)
        {
            var (result, sparsity) = trial(knob);
            if (double.IsNaN(sparsity)) throw new InvalidOperationException($"The trial at knob {knob} reported a sparsity of NaN.");
            var t = new SearchTrial<T>(knob, sparsity, result);
            trials.Add(t);
            newTrials++;
            onTrial?.Invoke(t);
            return t;
        }
        bool Close(SearchTrial<T> t) => Math.Abs(t.Sparsity - targetSparsity) <= tolerance;
        if (trials.Any(Close)) return new SparsitySearchResult<T>(targetSparsity, trials);

        // The bracket: below holds the strongest knob too weak (sparsity under the target), above the weakest too strong.
        SearchTrial<T>? below = trials.Where(t => t.Sparsity < targetSparsity).MaxBy(t => t.Knob);
        SearchTrial<T>? above = trials.Where(t => t.Sparsity >= targetSparsity).MinBy(t => t.Knob);
        while (newTrials < maxTrials)
        {
            double knob = below is null && above is null ? initialKnob
                : below is null ? above!.Knob / factor
                : above is null ? below.Knob * factor
                : Interpolate(below, above, targetSparsity);
            var current = Run(knob);
            if (Close(current)) break;
            if (current.Sparsity < targetSparsity) below = current; else above = current;
        }
        return new SparsitySearchResult<T>(targetSparsity, trials);
    }

    // Where the line through the bracket's ends in (log knob, logit sparsity) meets the target, kept within the bracket's
    // middle 80% in log knob (a sparsity of 0 or 1 has no logit, and a curved stretch could otherwise creep to one end).
    private static double Interpolate<T>(SearchTrial<T> below, SearchTrial<T> above, double target)
    {
        static double Logit(double p) { p = Math.Clamp(p, 1e-6, 1 - 1e-6); return Math.Log(p / (1 - p)); }
        double lo = Math.Log(below.Knob), hi = Math.Log(above.Knob);
        double yLo = Logit(below.Sparsity), yHi = Logit(above.Sparsity), y = Logit(target);
        if (!(hi > lo) || !(yHi > yLo)) return Math.Sqrt(below.Knob * above.Knob);   // noise broke monotony here: bisect
        double x = lo + (y - yLo) / (yHi - yLo) * (hi - lo);
        return Math.Exp(Math.Clamp(x, lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo)));
    }
}

/// <summary>One run of a <see cref="SparsitySearch"/>: the knob, the sparsity it reached, and its result.</summary>
public sealed record SearchTrial<T>(double Knob, double Sparsity, T Result);

/// <summary>All trials of a <see cref="SparsitySearch"/> (the known ones it was given, then those it ran, in order) and the one closest to the target.</summary>
public sealed record SparsitySearchResult<T>(double TargetSparsity, IReadOnlyList<SearchTrial<T>> Trials)
{
    /// <summary>The trial whose achieved sparsity is closest to the target (report and plot it at its achieved sparsity).</summary>
    public SearchTrial<T> Best => Trials.MinBy(t => Math.Abs(t.Sparsity - TargetSparsity))!;

    /// <summary>True when the best trial is within <paramref name="tolerance"/> of the target.</summary>
    public bool Reached(double tolerance) => Math.Abs(Best.Sparsity - TargetSparsity) <= tolerance;

    public override string ToString() =>
        $"target sparsity {TargetSparsity:P2}: best knob {Best.Knob:G4} reached {Best.Sparsity:P2} after {Trials.Count} trials " +
        $"({string.Join(", ", Trials.Select(t => $"{t.Knob:G4} -> {t.Sparsity:P2}"))})";
}
