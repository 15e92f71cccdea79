using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

/// <summary>Claims are exclusive leases: one owner per run, refreshed while held, taken over when their owner is gone.</summary>
public class RunClaimTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(800);

    [Fact]
    public void Two_claimants_racing_for_the_same_names_never_both_win()
    {
        var folder = TestFiles.TemporaryDirectory();
        var names = Enumerable.Range(0, 1_500).Select(i => Path.Combine(folder, $"run{i}.claim")).ToArray();
        var won = new int[names.Length];
        var claims = new System.Collections.Concurrent.ConcurrentBag<RunClaim>();
        using var start = new Barrier(2);
        void Claimant()
        {
            start.SignalAndWait();
            for (int i = 0; i < names.Length; i++)
                if (RunClaim.TryTake(names[i], TimeSpan.FromMinutes(1)) is { } claim)
                {
                    Interlocked.Increment(ref won[i]);
                    claims.Add(claim);
                }
        }
        Parallel.Invoke(Claimant, Claimant);
        foreach (var c in claims) c.Dispose();
        Assert.All(won, count => Assert.Equal(1, count));
        Assert.Empty(Directory.GetFiles(folder));   // no aside or temporary files left
    }

    [Fact]
    public void A_claim_released_while_another_process_tries_to_take_it_is_no_error()
    {
        // Seen on the local Slurm: the owner deleted its claim between a rival's failed create and its look at the file.
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "run.claim");
        void TakeAndRelease()
        {
            for (int i = 0; i < 2_000; i++) RunClaim.TryTake(path, TimeSpan.FromMinutes(1))?.Dispose();
        }
        Parallel.Invoke(TakeAndRelease, TakeAndRelease);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_claim_from_another_host_that_is_not_refreshed_is_taken_over_within_the_lease()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "run.claim");
        File.WriteAllText(path, $"dead-node 4242 {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");
        Assert.Null(RunClaim.TryTake(path, Lease));   // fresh: its owner may be alive
        var clock = Stopwatch.StartNew();
        RunClaim? taken = null;
        while (taken is null && clock.Elapsed < 3 * Lease)
        {
            Thread.Sleep(50);
            taken = RunClaim.TryTake(path, Lease);
        }
        Assert.NotNull(taken);
        Assert.InRange(clock.Elapsed, Lease * 0.9, Lease * 2);
        taken!.Dispose();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_claim_from_another_host_that_keeps_being_refreshed_is_not_taken_over()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "run.claim");
        File.WriteAllText(path, $"busy-node 4242 {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < 3 * Lease)
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);   // what its owner's refresh does
            Assert.Null(RunClaim.TryTake(path, Lease));
            Thread.Sleep(100);
        }
    }

    [Fact]
    public void A_held_claim_is_refreshed_by_its_owner_so_others_leave_it_alone()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "run.claim");
        using var claim = RunClaim.TryTake(path, Lease)!;
        var before = File.GetLastWriteTimeUtc(path);
        Thread.Sleep(Lease);
        Assert.True(File.GetLastWriteTimeUtc(path) > before);
        Assert.True(claim.Held);
    }

    [Fact]
    public void Loading_a_finished_run_removes_the_claim_its_killed_owner_left_and_keeps_a_live_one()
    {
        // A run killed after it saved its record and before it let its claim go: the record is found on resume, so the
        // run is never claimed again, and its claim file stayed in the store for good (found by the fault injection test).
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var record = new RunRecord { Experiment = "e", Kind = "magnitude", Seed = 1, Sparsity = 0.9, TestAccuracy = 0.9, TestLoss = 0.1, Steps = 10, Config = "config: c" };
        store.Save("magnitude/s0.9-seed1", record);
        var claim = Path.Combine(store.Directory, "magnitude", "s0.9-seed1.json.claim");
        File.WriteAllText(claim, $"{Environment.MachineName} {int.MaxValue} {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");
        Assert.True(store.TryLoad("magnitude/s0.9-seed1", out _));
        Assert.False(File.Exists(claim));

        // A live owner's claim (this process's) stays: it may be about to find the record and let go itself.
        using var live = store.TryClaim("magnitude/s0.9-seed1");
        Assert.NotNull(live);
        Assert.True(store.TryLoad("magnitude/s0.9-seed1", out _));
        Assert.True(File.Exists(claim));
    }

    [Fact]
    public void A_claim_of_a_dead_process_or_a_recycled_process_id_on_this_host_is_taken_over_at_once()
    {
        var folder = TestFiles.TemporaryDirectory();
        var dead = Path.Combine(folder, "dead.claim");
        File.WriteAllText(dead, $"{Environment.MachineName} {int.MaxValue} {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");
        using (var taken = RunClaim.TryTake(dead, TimeSpan.FromHours(1))) Assert.NotNull(taken);

        // Process 1 is alive, but it is not the process that wrote this claim: it started at another time.
        var recycled = Path.Combine(folder, "recycled.claim");
        File.WriteAllText(recycled, $"{Environment.MachineName} 1 {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");
        using (var taken = RunClaim.TryTake(recycled, TimeSpan.FromHours(1))) Assert.NotNull(taken);

        // The same process id with its true start time is alive: the claim stands.
        using var self = Process.GetCurrentProcess();
        var live = Path.Combine(folder, "live.claim");
        using var mine = RunClaim.TryTake(live, TimeSpan.FromHours(1))!;
        Assert.Null(RunClaim.TryTake(live, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Two_lottery_experiments_on_one_store_train_each_run_once()
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var config = new TrainConfig { Steps = 20, BatchSize = 20, EvaluateEvery = 10 };
        var lottery = new LotteryConfig { Rounds = 1, Seeds = [1, 2], Controls = LotteryControls.RandomReinit };
        var store = new RunStore(TestFiles.TemporaryDirectory());
        ModelFactory lenet = seed => Zoo.LeNet300_100(seed, device: CPU);
        var first = Task.Run(() => Lottery.Run("shared", lenet, data, config, lottery, store, poll: TimeSpan.FromMilliseconds(50)));
        var second = Task.Run(() => Lottery.Run("shared", lenet, data, config, lottery, store, poll: TimeSpan.FromMilliseconds(50)));
        var results = await Task.WhenAll(first, second);
        Assert.Equal(6, results.Sum(r => r.Computed));   // 2 seeds x (dense, ticket, reinit), each once
        Assert.Equal(results[0].Records.Select(r => r.TestLoss), results[1].Records.Select(r => r.TestLoss));
        Assert.Empty(Directory.GetFiles(store.Directory, "*.claim", SearchOption.AllDirectories));
    }
}
