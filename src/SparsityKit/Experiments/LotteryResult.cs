namespace SparsityKit.Experiments;

/// <summary>The records of a lottery-ticket experiment, and how many runs were computed now versus loaded from the store.</summary>
public sealed class LotteryResult(IReadOnlyList<RunRecord> records, int computed, int loaded)
{
    /// <summary>Every run: the dense run (kind "dense", round 0) and per round the ticket and its controls, for every seed.</summary>
    public IReadOnlyList<RunRecord> Records { get; } = records;

    public int Computed { get; } = computed;
    public int Loaded { get; } = loaded;

    public IEnumerable<RunRecord> Of(string kind) => Records.Where(r => r.Kind == kind);

    public override string ToString() => RecordSummary.Table(Records, r => r.EarlyStopTestAccuracy, "early-stop test accuracy");
}
