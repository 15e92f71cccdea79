using System.Diagnostics;
using SparsityKit.Experiments;

namespace SparsityKit.Tests.Experiments;

/// <summary>
/// Sweeps and lottery experiments in child processes, killed (SIGKILL) at random moments and resumed until done, or
/// two at once on one store: the stores they leave equal an uninterrupted store, and no finished run is computed twice.
/// </summary>
public class FaultInjectionTests
{
    private const int Kills = 5;
    private static readonly string Child = Path.Combine(AppContext.BaseDirectory, "SparsityKit.StoreChild.dll");

    [Theory]
    [InlineData("sweep")]
    [InlineData("lottery")]
    public async Task Killed_at_random_moments_and_resumed_the_store_equals_an_uninterrupted_one(string experiment)
    {
        var reference = TestFiles.TemporaryDirectory();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await RunChild(experiment, reference, Path.Combine(reference, "log")));
        var whole = clock.Elapsed;   // kill moments are fractions of it, so they land inside a run on a fast or a slow machine

        var store = TestFiles.TemporaryDirectory();
        var log = Path.Combine(store, "log");
        var random = new Random(experiment.Length);
        int kills = 0;
        for (int attempt = 0; attempt < Kills; attempt++)
        {
            // Early kills land in start-up and the first runs; resumed children skip what is done, so later ones reach further.
            var delay = whole * (0.1 + 0.3 * random.NextDouble());
            if (await RunChild(experiment, store, log, killAfter: delay) != 0) kills++;
        }
        int exit = await RunChild(experiment, store, log);   // resume until done
        Assert.Equal(0, exit);
        Assert.InRange(kills, 2, Kills);
        AssertSameRecords(reference, store);
        AssertNoRunSavedTwice(log);
        AssertNoLeftovers(store);
    }

    [Theory]
    [InlineData("sweep")]
    [InlineData("lottery")]
    public async Task Two_processes_on_one_store_compute_each_run_once(string experiment)
    {
        var reference = TestFiles.TemporaryDirectory();
        Assert.Equal(0, await RunChild(experiment, reference, Path.Combine(reference, "log")));

        var store = TestFiles.TemporaryDirectory();
        var log = Path.Combine(store, "log");
        var exits = await Task.WhenAll(RunChild(experiment, store, log), RunChild(experiment, store, log));
        Assert.All(exits, e => Assert.Equal(0, e));
        AssertSameRecords(reference, store);
        AssertNoRunSavedTwice(log);
        Assert.Equal(LogLines(Path.Combine(reference, "log")).Order(), LogLines(log).Order());
        AssertNoLeftovers(store);
    }

    private static async Task<int> RunChild(string experiment, string store, string log, TimeSpan? killAfter = null)
    {
        var start = new ProcessStartInfo("dotnet", [Child, experiment, store, log]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (killAfter is { } delay && await Task.WhenAny(exited, Task.Delay(delay)) != exited)
        {
            process.Kill(entireProcessTree: true);
            await exited;
            return -9;
        }
        await exited;
        if (process.ExitCode != 0) Assert.Fail($"the child failed ({process.ExitCode}): {await errors}");
        await output;
        return 0;
    }

    private static void AssertSameRecords(string reference, string store)
    {
        var expected = new RunStore(reference).All();
        var actual = new RunStore(store).All();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.Config, a.Config);
            Assert.Equal(e.TestLoss, a.TestLoss);
            Assert.Equal(e.TestAccuracy, a.TestAccuracy);
            Assert.Equal(e.Sparsity, a.Sparsity);
            Assert.Equal(e.EarlyStopStep, a.EarlyStopStep);
        }
    }

    // The lines every child wrote to its own LOG.PID file.
    private static IEnumerable<string> LogLines(string log) =>
        Directory.GetFiles(Path.GetDirectoryName(log)!, Path.GetFileName(log) + ".*").SelectMany(File.ReadAllLines);

    private static void AssertNoRunSavedTwice(string log)
    {
        var saved = LogLines(log).ToList();
        Assert.Empty(saved.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    // Nothing but records, masks, weights, group files, trained models kept for groups and the log: no claims,
    // checkpoints, temporaries or damaged files.
    private static void AssertNoLeftovers(string store)
    {
        var leftovers = Directory.GetFiles(store, "*", SearchOption.AllDirectories)
            .Where(f => !(f.EndsWith(".json") || f.EndsWith(".masks.sktf") || f.EndsWith(".weights.sktf") || f.EndsWith(".trained.sktf") || Path.GetFileName(f).StartsWith("log.")))
            .ToList();
        Assert.True(leftovers.Count == 0, "left over: " + string.Join(", ", leftovers));
    }
}
