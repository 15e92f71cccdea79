using Microsoft.DotNet.Interactive.Events;
using SparsityKit.Tests.Clusters;

namespace SparsityKit.Interactive.Tests;

/// <summary>A job array on the local Slurm (scripts/local-slurm.sh) watched from a notebook cell.</summary>
public sealed class ClusterWatchTests : IDisposable
{
    private readonly KernelSession _session = new();

    public void Dispose() => _session.Dispose();

    private static string Value(DisplayEvent e, string mime) => e.FormattedValues.Single(v => v.MimeType == mime).Value;

    [Fact]
    public void Slurm_job_watched_in_a_cell_shows_one_live_status_that_ends_complete_and_returns_the_records()
    {
        LocalSlurm.EnsureUp();
        var store = Path.Combine(Path.GetTempPath(), "sparsitykit-tests", Guid.NewGuid().ToString("N"));
        var events = _session.Submit($$"""
            using SparsityKit.Clusters;
            using SparsityKit.Experiments;
            var plan = new SweepPlan
            {
                Experiment = "slurm-watch", Data = DataSpec.Synthetic(trainCount: 60, testCount: 30, seed: 3),
                Methods = [PlanMethod.Of("magnitude")], Sparsities = [0.5], Seeds = [1, 2],
                Config = new TrainConfig { Steps = 4, BatchSize = 20, EvaluateEvery = 0 }, Threads = 1,
            };
            var job = Cluster.Submit(plan, new RunStore(@"{{store}}"), new SlurmOptions { Tasks = 1, Poll = TimeSpan.FromSeconds(0.5), JobName = "sk-test-watch" });
            var records = await job.WatchAsync(poll: TimeSpan.FromSeconds(0.2), timeout: TimeSpan.FromMinutes(3));
            records.Select(r => r.Seed).Sum()
            """);

        var shown = events.OfType<DisplayedValueProduced>().Single();
        var updates = events.OfType<DisplayedValueUpdated>().ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(shown.ValueId, u.ValueId));   // one output, replaced in place
        string first = Value(shown, "text/html"), last = Value(updates[^1], "text/html");
        Assert.Contains("runs 0 / 2 done", first);    // shown at submission, before any worker has started
        Assert.Contains("<td>0</td><td>", first);     // the task's row, with its state
        Assert.Contains("runs 2 / 2 done", last);
        Assert.Contains("data-sparsitykit-progress=", last);   // one key for every update, so a headless run keeps the last
        Assert.Contains("runs 2/2 done", Value(updates[^1], "text/plain"));
        Assert.Equal(1L + 2L, events.OfType<ReturnValueProduced>().Single().Value);   // the records of both seeds
    }
}
