using System.Diagnostics;

namespace SparsityKit.Training;

/// <summary>Prints progress as lines to the console, at most one line per <paramref name="minimumInterval"/> (and always the last).</summary>
public sealed class ConsoleProgress(TimeSpan? minimumInterval = null) : IProgress<TrainingProgress>
{
    private readonly TimeSpan _interval = minimumInterval ?? TimeSpan.FromSeconds(2);
    private readonly Stopwatch _sincePrinted = new();

    public void Report(TrainingProgress value)
    {
        bool last = value.Step == value.TotalSteps;
        if (_sincePrinted.IsRunning && _sincePrinted.Elapsed < _interval && !last) return;
        Console.WriteLine(value);
        _sincePrinted.Restart();
    }
}
