using Microsoft.DotNet.Interactive.Events;
using SparsityKit.Training;

namespace SparsityKit.Interactive.Tests;

public sealed class ProgressTests : IDisposable
{
    private readonly KernelSession _session = new();

    public void Dispose() => _session.Dispose();

    private static string Html(DisplayEvent e) => e.FormattedValues.Single(v => v.MimeType == "text/html").Value;

    [Fact]
    public void Every_update_carries_the_display_id_of_the_first_output()
    {
        var events = _session.Submit("""
            var progress = new NotebookProgress(TimeSpan.Zero);
            for (int s = 100; s <= 300; s += 100) progress.Report(new TrainingProgress("run", s, 300, 0.5, null, TimeSpan.FromSeconds(s / 100.0)));
            progress.DisplayId
            """);
        var produced = events.OfType<DisplayedValueProduced>().Single();
        var updates = events.OfType<DisplayedValueUpdated>().ToList();
        string returned = (string)events.OfType<ReturnValueProduced>().Single().Value;

        Assert.False(string.IsNullOrEmpty(produced.ValueId));
        Assert.Equal(produced.ValueId, returned);
        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.Equal(produced.ValueId, u.ValueId));
        Assert.Contains("<progress value=\"100\" max=\"300\"", Html(produced));
        Assert.Contains("<progress value=\"300\" max=\"300\"", Html(updates[^1]));
        Assert.Contains("done in 0:03", Html(updates[^1]));
        Assert.Equal(new TrainingProgress("run", 300, 300, 0.5, null, TimeSpan.FromSeconds(3)).ToString(),
            updates[^1].FormattedValues.Single(v => v.MimeType == "text/plain").Value);
    }

    [Fact]
    public void A_progress_reused_in_a_later_cell_shows_a_new_bar_there_and_leaves_the_first_alone()
    {
        var first = _session.Submit("""
            var reused = new NotebookProgress(TimeSpan.Zero);
            reused.Report(new TrainingProgress("first", 10, 10, 0.5, null, TimeSpan.FromSeconds(1)));
            """);
        var second = _session.Submit("""
            reused.Report(new TrainingProgress("second", 5, 20, 0.5, null, TimeSpan.FromSeconds(1)));
            reused.Report(new TrainingProgress("second", 20, 20, 0.5, null, TimeSpan.FromSeconds(2)));
            """);
        var firstBar = first.OfType<DisplayedValueProduced>().Single();
        var secondBar = second.OfType<DisplayedValueProduced>().Single();
        Assert.NotEqual(firstBar.ValueId, secondBar.ValueId);
        Assert.Contains("<b>second</b>", Html(secondBar));
        var update = second.OfType<DisplayedValueUpdated>().Single();
        Assert.Equal(secondBar.ValueId, update.ValueId);
        Assert.Contains("20/20 steps", Html(update));
    }

    [Fact]
    public void Updates_come_at_most_once_per_interval_plus_the_final_one()
    {
        var events = _session.Submit("""
            var time = new SparsityKit.Interactive.Tests.ManualTime();
            var progress = new NotebookProgress(TimeSpan.FromSeconds(0.5), time);
            foreach (var (seconds, step) in new[] { (0.0, 10L), (0.1, 20L), (0.3, 30L), (0.2, 40L), (0.1, 50L), (0.1, 100L) })
            {
                time.Advance(seconds);
                progress.Report(new TrainingProgress("run", step, 100, 0.5, null, TimeSpan.FromSeconds(1)));
            }
            """);
        Assert.Contains("value=\"10\"", Html(events.OfType<DisplayedValueProduced>().Single()));
        // 0.6 s after the first: shown; 0.1 s later: skipped; the last step always shows.
        Assert.Equal(["value=\"40\"", "value=\"100\""],
            events.OfType<DisplayedValueUpdated>().Select(u => System.Text.RegularExpressions.Regex.Match(Html(u), "value=\"\\d+\"").Value));
    }

    [Fact]
    public void Training_in_a_cell_shows_one_live_bar_that_ends_done()
    {
        var events = _session.Submit("""
            var data = Datasets.Synthetic(trainCount: 200, testCount: 50, seed: 1, device: CPU);
            var run = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: CPU), data,
                new TrainConfig { Steps = 50, BatchSize = 20, EvaluateEvery = 25, ReportEvery = 10 });
            """);
        var bars = events.OfType<DisplayedValueProduced>().Where(e => Html(e).Contains("sparsitykit-progress")).ToList();
        var bar = Assert.Single(bars);
        var updates = events.OfType<DisplayedValueUpdated>().ToList();
        Assert.NotEmpty(updates);   // how many depends on the machine's speed; the throttle is tested with a manual clock
        Assert.All(updates, u => Assert.Equal(bar.ValueId, u.ValueId));
        Assert.Contains("50/50 steps (100%)", Html(updates[^1]));
        Assert.Contains("test accuracy", Html(updates[^1]));
    }

    [Fact]
    public void Outside_a_kernel_progress_prints_console_lines()
    {
        var console = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            var progress = new NotebookProgress();
            progress.Report(new TrainingProgress("offline", 50, 100, 0.25, null, TimeSpan.FromSeconds(1)));
            progress.Report(new TrainingProgress("offline", 100, 100, 0.125, 0.5, TimeSpan.FromSeconds(2)));   // the last always prints
            Assert.Null(progress.DisplayId);
        }
        finally { Console.SetOut(console); }
        var first = new TrainingProgress("offline", 50, 100, 0.25, null, TimeSpan.FromSeconds(1));
        var last = new TrainingProgress("offline", 100, 100, 0.125, 0.5, TimeSpan.FromSeconds(2));
        Assert.Equal([first.ToString(), last.ToString()], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Loading_the_extension_makes_the_live_bar_the_default_progress()
    {
        var previous = Trainer.DefaultProgress;
        try
        {
            Trainer.DefaultProgress = () => null;
            SparsityKitKernelExtension.Load();
            Assert.IsType<NotebookProgress>(Trainer.DefaultProgress());
        }
        finally { Trainer.DefaultProgress = previous; }
    }
}
