using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Training;

public class TrainerTests
{
    private static readonly TrainConfig Quick = new() { Steps = 60, BatchSize = 20, EvaluateEvery = 30, ReportEvery = 10, Optimizer = new Adam(1e-3) };

    private static Dataset Synthetic() => Datasets.Synthetic(trainCount: 400, testCount: 100, seed: 1, device: CPU);

    [Fact]
    public void Same_seed_gives_bit_identical_weights_and_metrics()
    {
        using var data = Synthetic();
        var a = Trainer.Train(Zoo.LeNet300_100(seed: 3, device: CPU), data, Quick with { DataSeed = 9 });
        var b = Trainer.Train(Zoo.LeNet300_100(seed: 3, device: CPU), data, Quick with { DataSeed = 9 });
        Assert.Equal(a.History, b.History);
        foreach (var ((name, pa), (_, pb)) in a.Model.named_parameters().Zip(b.Model.named_parameters()))
            Assert.True(pa.allclose(pb, 0, 0), $"{name} differs between two runs with the same seeds");
        var c = Trainer.Train(Zoo.LeNet300_100(seed: 3, device: CPU), data, Quick with { DataSeed = 10 });
        Assert.NotEqual(a.Final.TestLoss, c.Final.TestLoss);
    }

    [Fact]
    public void Training_learns_the_synthetic_task_and_records_history()
    {
        using var data = Synthetic();
        var run = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: CPU), data, Quick with { Steps = 150 });
        Assert.Equal(new long[] { 30, 60, 90, 120, 150 }, run.History.Select(r => r.Step));
        Assert.True(run.TestAccuracy > 0.9, $"accuracy {run.TestAccuracy}");
        Assert.True(run.History[^1].TrainLoss < run.History[0].TrainLoss);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void An_optimizer_step_changes_every_weight_matrix(string optimizer)
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var before = WeightSnapshot.Capture(model, 0);
        OptimizerSettings settings = optimizer == "sgd" ? new Sgd(0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4) : new Adam(1e-3);
        Trainer.Train(model, data, Quick with { Steps = 1, Optimizer = settings });
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith("weight")))
            Assert.False(p.allclose(before[name]), $"{name} did not change");
    }

    [Fact]
    public void Snapshot_restore_round_trip_returns_exact_initial_weights()
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 2, device: CPU);
        using var init = WeightSnapshot.Capture(model, 0);
        var run = Trainer.Train(model, data, Quick with { SnapshotSteps = [0, 30] });
        Assert.Equal(new long[] { 0, 30 }, run.Snapshots.Keys.Order());
        foreach (var (name, t) in init.Weights) Assert.True(run.Snapshots[0][name].allclose(t, 0, 0));
        Assert.False(run.Snapshots[30]["fc1.weight"].allclose(init["fc1.weight"]));

        var file = Path.Combine(TestFiles.TemporaryDirectory(), "snap.sktf");
        run.Snapshots[30].Save(file);
        using var loaded = WeightSnapshot.Load(file);
        Assert.Equal(30, loaded.Step);
        loaded.RestoreInto(model);
        foreach (var (name, p) in model.named_parameters()) Assert.True(p.allclose(run.Snapshots[30][name], 0, 0));
    }

    private sealed class NaNAfter(long step) : TrainingMethod
    {
        public override Tensor? LossTerm(TrainingContext context) => context.Step >= step ? tensor(float.NaN) : null;
    }

    [Fact]
    public void NaN_loss_stops_the_run_with_a_clear_error_and_keeps_the_history()
    {
        using var data = Synthetic();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(Zoo.LeNet300_100(device: CPU), data, Quick with { EvaluateEvery = 20 }, new NaNAfter(45)));
        Assert.Contains("NaN", e.Message);
        Assert.Contains("between steps 40 and 50", e.Message);
        Assert.Equal(new long[] { 20, 40, 50 }, e.History.Select(r => r.Step));   // the last row at the divergence
        Assert.Equal(50, e.Step);
    }

    [Fact]
    public void Live_tensor_count_does_not_grow_over_200_steps()
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(device: CPU);
        var config = Quick with { Steps = 200, EvaluateEvery = 50 };
        Trainer.Train(model, data, config with { Steps = 10 });   // warm up lazily created state
        DisposeScopeManager.Statistics.Reset();
        Trainer.Train(model, data, config);
        long afterShort = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        DisposeScopeManager.Statistics.Reset();
        Trainer.Train(model, data, config with { Steps = 400 });
        long afterLong = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(afterLong <= afterShort, $"{afterLong} live tensors after 400 steps vs {afterShort} after 200");
        Assert.True(afterShort < 50, $"{afterShort} tensors left alive by a 200-step run");
    }

    [Fact]
    public void Invalid_config_names_the_field()
    {
        using var data = Synthetic();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(Zoo.LeNet300_100(device: CPU), data, Quick with { BatchSize = 0 }));
        Assert.Equal("BatchSize", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(Zoo.LeNet300_100(device: CPU), data, Quick with { SnapshotSteps = [100] }));
        Assert.Equal("SnapshotSteps", e.ParamName);
    }

    [Fact]
    public void Training_leaves_no_temporary_tensor_to_the_finalizer()
    {
        // A temporary outside every dispose scope is freed by the finalizer thread, which can run while libtorch still
        // reads it (CI once failed in SparseLinear's constructor: "Could not run 'aten::copy_'" on a freed tensor).
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        DisposeScopeManager.Statistics.Reset();
        Trainer.Train(model, data, Quick with { Steps = 4, EvaluateEvery = 2, ReportEvery = 2 });
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }

    [Fact]
    public void Evaluating_leaves_no_temporary_tensor_to_the_finalizer()
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        DisposeScopeManager.Statistics.Reset();
        Evaluation.Measure(model, data.TestImages, data.TestLabels, batchSize: 30);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }

    [Fact]
    public void Snapshot_capture_and_restore_leave_no_temporary_tensor_to_the_finalizer()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        DisposeScopeManager.Statistics.Reset();
        using var snapshot = WeightSnapshot.Capture(model, 0);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
        snapshot.RestoreInto(model);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
        snapshot.Save(Path.Combine(TestFiles.TemporaryDirectory(), "snapshot.sktf"));
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }

    [Fact]
    public void Writing_checkpoints_leaves_no_temporary_tensor_to_the_finalizer()
    {
        // Long runs write a checkpoint every few hundred steps: its step counters, sampler state and RNG state are new tensors.
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var checkpoint = Path.Combine(TestFiles.TemporaryDirectory(), "run.checkpoint.sktf");
        DisposeScopeManager.Statistics.Reset();
        Trainer.Train(model, data, Quick with { Steps = 4, EvaluateEvery = 2, ReportEvery = 2, CheckpointEvery = 2, SnapshotSteps = [2] },
            checkpoint: checkpoint);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }
}
