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

    private sealed class Progress(Action finished) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == value.TotalSteps) finished();
        }
    }
}
