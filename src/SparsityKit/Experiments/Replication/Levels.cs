namespace SparsityKit.Experiments.Replication;

/// <summary>The runs of one kind at one sparsity level (a lottery round, or a sweep's target), with their mean weights remaining.</summary>
public sealed record Level(double Remaining, IReadOnlyList<RunRecord> Records)
{
    public Spread Of(Func<RunRecord, double> metric) => Spread.Of(Records.Select(metric));

    /// <summary>The sparsity the runs reached, on average (a sweep's target is what they aimed at: <c>1 - Remaining</c>).</summary>
    public double AchievedSparsity => Records.Average(r => r.Sparsity);

    /// <summary>The levels of one kind of run, highest weights remaining first, grouped by round (lottery) or target (sweep).</summary>
    public static IReadOnlyList<Level> Of(IEnumerable<RunRecord>? records, string kind, bool byTarget = false) =>
        (records ?? []).Where(r => r.Kind == kind)
            .GroupBy(r => byTarget ? Math.Round(r.TargetSparsity ?? r.Sparsity, 4) : r.Round)
            .Select(g => new Level(byTarget ? 1 - g.Key : g.Average(r => r.WeightsRemaining), g.ToList()))
            .OrderByDescending(l => l.Remaining).ToList();

    /// <summary>The level nearest <paramref name="remaining"/> (by ratio), if one lies within <paramref name="factor"/> of it.</summary>
    public static Level? Nearest(IReadOnlyList<Level> levels, double remaining, double factor = 1.25) =>
        levels.Where(l => Math.Max(l.Remaining / remaining, remaining / l.Remaining) <= factor)
            .MinBy(l => Math.Abs(Math.Log(l.Remaining / remaining)));
}
