namespace SparsityKit.Training;

/// <summary>The training loss became NaN or infinite, or grew far above chance level. <see cref="History"/> keeps every evaluation made, the last at <see cref="Step"/>.</summary>
public sealed class TrainingDivergedException(string message, IReadOnlyList<HistoryRow> history, long step)
    : Exception(message)
{
    public IReadOnlyList<HistoryRow> History { get; } = history;

    /// <summary>The step at whose report the divergence was seen.</summary>
    public long Step { get; } = step;
}
