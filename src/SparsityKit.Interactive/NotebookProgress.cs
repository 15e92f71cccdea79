using Microsoft.DotNet.Interactive;
using SparsityKit.Training;

namespace SparsityKit.Interactive;

/// <summary>
/// Training progress as a live HTML progress bar in the running notebook cell, updated in place at most once per
/// <see cref="MinimumInterval"/> (plus the final update), because a headless runner keeps every update as an output.
/// Outside a kernel (no current <see cref="KernelInvocationContext"/>) it prints lines like <see cref="ConsoleProgress"/>.
/// The kernel extension makes one per training run through <see cref="Trainer.DefaultProgress"/>.
/// A progress object reused in a later cell starts a new bar in that cell: the earlier cell's bar stays as it ended.
/// </summary>
public sealed class NotebookProgress(TimeSpan? minimumInterval = null, TimeProvider? time = null) : IProgress<TrainingProgress>
{
    /// <summary>The default minimum time between two updates: at most two a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(0.5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private string _key = "";
    private LiveDisplay? _display;
    private KernelInvocationContext? _shownIn;
    private long _shownAt;
    private ConsoleProgress? _console;

    public TimeSpan MinimumInterval { get; } = minimumInterval ?? DefaultInterval;

    /// <summary>The kernel's id of the bar's output once shown, else null.</summary>
    public string? DisplayId => _display?.DisplayId;

    public void Report(TrainingProgress value)
    {
        var context = KernelInvocationContext.Current;
        if (context is null)
        {
            (_console ??= new ConsoleProgress()).Report(value);
            return;
        }
        long now = _time.GetTimestamp();
        bool last = value.Step >= value.TotalSteps;
        // Each cell (kernel invocation) gets its own bar; updating an earlier cell's bar would contradict its outputs.
        if (!ReferenceEquals(context, _shownIn)) _display = null;
        if (_display is not null && !last && _time.GetElapsedTime(_shownAt, now) < MinimumInterval) return;
        if (_display is null)
        {
            _key = Guid.NewGuid().ToString("N");
            _display = LiveDisplay.Show(context, new ProgressView(_key, value), "text/html", "text/plain");
            _shownIn = context;
        }
        else _display.Update(new ProgressView(_key, value));
        _shownAt = now;
    }
}
