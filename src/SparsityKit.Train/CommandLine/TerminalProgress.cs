using SparsityKit.Training;
using Spectre.Console;

namespace SparsityKit.Train.CommandLine;

/// <summary>One live Spectre.Console bar per training run: steps done, loss and the latest test accuracy.</summary>
internal sealed class TerminalProgress(ProgressContext context) : IProgress<TrainingProgress>
{
    private readonly Dictionary<string, ProgressTask> _bars = [];

    public void Report(TrainingProgress value)
    {
        // A run of the same name that starts again (the next seed, round or trial) gets a new bar; the finished one stays.
        if (!_bars.TryGetValue(value.RunName, out var bar) || bar.IsFinished || value.Step < bar.Value)
            _bars[value.RunName] = bar = context.AddTask(Markup.Escape(value.RunName), maxValue: Math.Max(1, value.TotalSteps));
        bar.Description = Markup.Escape($"{value.RunName}  loss {value.TrainLoss:F4}" + (value.TestAccuracy is { } a ? $"  test acc {a:P2}" : ""));
        bar.Value = value.Step;
    }
}
