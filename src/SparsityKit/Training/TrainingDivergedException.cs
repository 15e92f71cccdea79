namespace SparsityKit.Training;

/// <summary>The training loss became NaN or infinite. <see cref="History"/> keeps every evaluation made before.</summary>
public sealed class TrainingDivergedException(string message, IReadOnlyList<HistoryRow> history, long step)
    : Exception(message)
{
    public IReadOnlyList<HistoryRow> History { get; } = history;

    /// <summary>The step at whose report the non-finite loss was seen.</summary>
    public long Step { get; } = step;
}
