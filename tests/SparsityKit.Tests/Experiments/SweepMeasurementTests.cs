using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

/// <summary>
/// A method trained once and measured at every target (variational dropout): measured with the batch norms' statistics
/// recomputed, and measured anew from the trained model the store kept.
/// </summary>
public class SweepMeasurementTests
{
    private static Dataset Data() => Datasets.Synthetic(trainCount: 64, testCount: 32, imageSize: 8, seed: 3, device: CPU);

    private static readonly ModelFactory Resnet = seed => Zoo.Create("resnet20", seed, device: CPU, inputShape: [1, 8, 8], classes: 10);

    private static SweepMethod Vd(int recompute) => new("variational dropout", (_, _) => new VariationalDropout(),
        seed => Zoo.Create("resnet20", seed, new VariationalDropoutLayers(), CPU, inputShape: [1, 8, 8], classes: 10))
    { AtSparsity = VariationalDropout.AtSparsity, RecomputeBatchNormBatches = recompute };

    [Fact]
    public void A_sweep_measures_variational_dropout_with_recomputed_statistics_under_its_own_key()
    {
        using var data = Data();
        var config = new TrainConfig { Steps = 6, BatchSize = 16, EvaluateEvery = 0, CheckpointEvery = 0 };
        var store = new RunStore(TestFiles.TemporaryDirectory());

        var asTrained = Sweep.Run("vd", [Vd(0)], [0.5], [1], Resnet, data, config, store);
        var recomputed = Sweep.Run("vd", [Vd(2)], [0.5], [1], Resnet, data, config, store);

        Assert.NotEqual(asTrained[0].Config, recomputed[0].Config);
        Assert.Contains("batch norm recomputed from batches", recomputed[0].Config);
        Assert.DoesNotContain("batch norm", asTrained[0].Config);
        Assert.Equal(asTrained[0].Sparsity, recomputed[0].Sparsity);   // the same training, the same threshold
        Assert.NotEqual(asTrained[0].TestLoss, recomputed[0].TestLoss);
        Assert.Equal(2, Directory.GetFiles(store.Directory, "s0.5-seed1-*.json", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void A_new_measurement_of_a_training_the_store_kept_is_taken_from_its_trained_model_without_training_again()
    {
        // Notebook 07's VD was trained again for 53 minutes to be measured with recomputed statistics: the sweep had kept
        // only records. The trained model is now kept beside the group's records, so a new measurement costs no training.
        using var data = Data();
        var config = new TrainConfig { Steps = 6, BatchSize = 16, EvaluateEvery = 0, CheckpointEvery = 0, ChannelsLast = true };
        int trainings = 0;
        var warnings = new List<string>();
        var store = new RunStore(TestFiles.TemporaryDirectory()) { Warn = warnings.Add };
        Sweep.Run("vd", [Vd(0)], [0.5, 0.8], [1], Resnet, data, config, store, onTrainingStart: (_, _, _) => trainings++);
        var remeasured = Sweep.Run("vd", [Vd(2)], [0.5, 0.8], [1], Resnet, data, config, store, onTrainingStart: (_, _, _) => trainings++);
        Assert.Equal(1, trainings);

        // The same records, to the bit, as a store that trains the run afresh and measures it this way.
        var fresh = Sweep.Run("vd", [Vd(2)], [0.5, 0.8], [1], Resnet, data, config, new RunStore(TestFiles.TemporaryDirectory()),
            onTrainingStart: (_, _, _) => trainings++);
        Assert.Equal(2, trainings);
        string Measured(RunRecord r) => System.Text.Json.JsonSerializer.Serialize(r with { WallSeconds = 0, Checksum = null });
        Assert.Equal(fresh.Select(Measured), remeasured.Select(Measured));
        Assert.NotEqual(remeasured[0].TestLoss, remeasured[1].TestLoss);

        // A damaged model file is named in a warning, and the training is computed again.
        var kept = Directory.GetFiles(store.Directory, "*.trained.sktf", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(kept, File.ReadAllBytes(kept)[..100]);
        Sweep.Run("vd", [Vd(3)], [0.5, 0.8], [1], Resnet, data, config, store, onTrainingStart: (_, _, _) => trainings++);
        Assert.Equal(3, trainings);
        Assert.Contains(warnings, w => w.Contains(kept));
    }

    [Fact]
    public void Recomputing_statistics_for_a_method_trained_per_target_is_refused_by_name()
    {
        using var data = Datasets.Synthetic(trainCount: 32, testCount: 8, seed: 3, device: CPU);
        var method = new SweepMethod("magnitude", (s, _) => new MagnitudePruning(SparsityDistribution.Uniform(s), PruningSchedule.OneShot(0))) { RecomputeBatchNormBatches = 4 };
        var e = Assert.Throws<ArgumentException>(() => Sweep.Run("m", [method], [0.5], [1], seed => Zoo.LeNet300_100(seed, device: CPU), data,
            new TrainConfig { Steps = 2, BatchSize = 8 }, new RunStore(TestFiles.TemporaryDirectory())));
        Assert.Contains("'magnitude'", e.Message);
        Assert.Contains("AtSparsity", e.Message);
    }
}
