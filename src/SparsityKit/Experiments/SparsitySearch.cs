namespace SparsityKit.Experiments;

/// <summary>
/// Finds the setting of a regularisation knob (variational dropout's KL weight, L0's lambda) that gives a target
/// sparsity. Neither method takes a sparsity directly, so the paper sweeps the knob and plots every run at the
/// sparsity it actually reached; this search does the same with few runs: it brackets the target by multiplying or
/// dividing the knob by <c>factor</c>, then bisects the bracket geometrically.
/// </summary>
public static class SparsitySearch
{
    /// <summary>
    /// Searches a positive knob whose sparsity rises with it. <paramref name="trial"/> trains (or evaluates) at one knob
    /// value and returns its result and achieved sparsity. Stops when a trial lands within <paramref name="tolerance"/>
    /// of the target, or after <paramref name="maxTrials"/> trials.
    /// </summary>
    public static SparsitySearchResult<T> Run<T>(double targetSparsity, Func<double, (T Result, double Sparsity)> trial,
        double initialKnob, double factor = 4, int maxTrials = 6, double tolerance = 0.005, Action<SearchTrial<T>>? onTrial = null)
    {
        if (!(targetSparsity >= 0 && targetSparsity <= 1)) throw new ArgumentOutOfRangeException(nameof(targetSparsity), targetSparsity, "Sparsity lies in [0, 1].");
        if (!(initialKnob > 0) || double.IsInfinity(initialKnob)) throw new ArgumentOutOfRangeException(nameof(initialKnob), initialKnob, "The knob must be positive and finite.");
        if (!(factor > 1) || double.IsInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The bracketing factor must be above 1.");
        if (maxTrials < 1) throw new ArgumentOutOfRangeException(nameof(maxTrials), maxTrials, "At least one trial is needed.");
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must not be negative.");

        var trials = new List<SearchTrial<T>>();
        SearchTrial<T> Run(double knob)
        {
            var (result, sparsity) = trial(knob);
            if (double.IsNaN(sparsity)) throw new InvalidOperationException($"The trial at knob {knob} reported a sparsity of NaN.");
            var t = new SearchTrial<T>(knob, sparsity, result);
            trials.Add(t);
            onTrial?.Invoke(t);
            return t;
        }
        bool Done(SearchTrial<T> t) => Math.Abs(t.Sparsity - targetSparsity) <= tolerance || trials.Count >= maxTrials;

        // Bracket: below holds a knob too weak (sparsity under the target), above one too strong.
        var current = Run(initialKnob);
        SearchTrial<T>? below = null, above = null;
        while (!Done(current))
        {
            if (current.Sparsity < targetSparsity) below = current; else above = current;
            if (below is not null && above is not null) break;
            current = Run(below is null ? current.Knob / factor : current.Knob * factor);
        }
        // Bisect the bracket in log space.
        while (!Done(current) && below is not null && above is not null)
        {
            current = Run(Math.Sqrt(below.Knob * above.Knob));
            if (current.Sparsity < targetSparsity) below = current; else above = current;
        }
        return new SparsitySearchResult<T>(targetSparsity, trials);
    }
}

/// <summary>One run of a <see cref="SparsitySearch"/>: the knob, the sparsity it reached, and its result.</summary>
public sealed record SearchTrial<T>(double Knob, double Sparsity, T Result);

/// <summary>All trials of a <see cref="SparsitySearch"/>, in the order they ran, and the one closest to the target.</summary>
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
