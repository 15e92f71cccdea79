using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

public class SweepTests
{
    [Fact]
    public void Sweep_records_every_method_sparsity_and_seed_and_resumes_from_the_store()
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var config = new TrainConfig { Steps = 30, BatchSize = 20, EvaluateEvery = 15 };
        SweepMethod[] methods =
        [
            new("magnitude", (s, _) => new MagnitudePruning(SparsityDistribution.Uniform(s), PruningSchedule.Gradual(5, 20, 5))),
            new("random", (s, seed) => new RandomPruning(SparsityDistribution.Uniform(s), PruningSchedule.OneShot(0), seed)),
        ];
        var store = new RunStore(TestFiles.TemporaryDirectory());
        int trained = 0;
        var progress = new Progress(() => trained++);
        ModelFactory model = seed => Zoo.LeNet300_100(seed, device: CPU);
        var records = Sweep.Run("sweep", methods, [0.5, 0.9], [1, 2], model, data, config, store, progress);

        Assert.Equal(8, records.Count);
        Assert.Equal(8, trained);
        foreach (var r in records) Assert.Equal(r.TargetSparsity!.Value, r.Sparsity, 3);
        Assert.Equal(new[] { "magnitude", "random" }, records.Select(r => r.Kind).Distinct());

        var again = Sweep.Run("sweep", methods, [0.5, 0.9], [1, 2, 3], model, data, config, store, progress);
        Assert.Equal(12, again.Count);
        Assert.Equal(12, trained);   // only seed 3's four runs were new
    }

    [Fact]
    public async Task Sweeps_sharing_a_store_split_the_runs_and_take_over_a_dead_process_claim()
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var config = new TrainConfig { Steps = 20, BatchSize = 20, EvaluateEvery = 10 };
        SweepMethod[] methods = [new("magnitude", (s, _) => new MagnitudePruning(SparsityDistribution.Uniform(s), PruningSchedule.OneShot(0)))];
        ModelFactory model = seed => Zoo.LeNet300_100(seed, device: CPU);
        int trained = 0;
        var progress = new Progress(() => trained++);
        IReadOnlyList<RunRecord> Sweep3(RunStore store) =>
            Sweep.Run("shared", methods, [0.5], [1, 2, 3], model, data, config, store, progress, poll: TimeSpan.FromMilliseconds(50));

        // A reference store with all three runs, to learn their file names and to play the other process's part.
        var reference = new RunStore(TestFiles.TemporaryDirectory());
        var expected = Sweep3(reference);
        var files = Directory.GetFiles(reference.Directory, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(reference.Directory, f)).Order().ToArray();
        Assert.Equal(3, files.Length);

        // Seed 2 is being computed by a live process elsewhere; seed 3 was claimed by a process that died.
        var shared = new RunStore(TestFiles.TemporaryDirectory());
        string ClaimOf(string file) => Path.Combine(shared.Directory, file + ".claim");
        Directory.CreateDirectory(Path.GetDirectoryName(ClaimOf(files[1]))!);
        File.WriteAllText(ClaimOf(files[1]), $"another-machine 4242 {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");
        File.WriteAllText(ClaimOf(files[2]), $"{Environment.MachineName} {int.MaxValue} {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");
        Assert.True(shared.IsClaimed(files[1][..^5]));
        Assert.False(shared.IsClaimed(files[2][..^5]));
        var other = Task.Run(async () =>
        {
            await Task.Delay(300);
            File.Copy(Path.Combine(reference.Directory, files[1]), Path.Combine(shared.Directory, files[1]));
            File.Delete(ClaimOf(files[1]));
        });

        trained = 0;
        var records = Sweep3(shared);
        await other;

        Assert.Equal(2, trained);   // seeds 1 and 3; seed 2 came from the other process
        Assert.Equal(expected.Select(r => r.Seed), records.Select(r => r.Seed));
        Assert.Equal(expected[1].WallSeconds, records[1].WallSeconds);   // the other process's record, not a rerun
        Assert.Equal(expected[2].TestAccuracy, records[2].TestAccuracy);
        Assert.Empty(Directory.GetFiles(shared.Directory, "*.claim", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_method_measured_at_every_target_trains_once_per_seed()
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var config = new TrainConfig { Steps = 20, BatchSize = 20, EvaluateEvery = 10 };
        var method = new SweepMethod("variational dropout", (target, _) =>
            {
                Assert.True(double.IsNaN(target));   // its training must not depend on the target
                return new VariationalDropout();
            },
            seed => Zoo.LeNet300_100(seed, layers: new VariationalDropoutLayers(), device: CPU)) { AtSparsity = VariationalDropout.AtSparsity };
        int trained = 0;
        var progress = new Progress(() => trained++);
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var records = Sweep.Run("vd", [method], [0.3, 0.6, 0.9], [1, 2], seed => Zoo.LeNet300_100(seed, device: CPU), data, config, store, progress);

        Assert.Equal(2, trained);
        Assert.Equal(6, records.Count);
        foreach (var r in records) Assert.Equal(r.TargetSparsity!.Value, r.Sparsity, 2);
        // Each target is measured with its own threshold: the test losses of one seed differ.
        Assert.Equal(3, records.Where(r => r.Seed == 1).Select(r => r.TestLoss).Distinct().Count());
        Assert.Equal(6, Sweep.Run("vd", [method], [0.3, 0.6, 0.9], [1, 2], seed => Zoo.LeNet300_100(seed, device: CPU), data, config, store, progress).Count);
        Assert.Equal(2, trained);   // all loaded from the store
    }

    private sealed class Progress(Action finished) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == value.TotalSteps) finished();
        }
    }
}
