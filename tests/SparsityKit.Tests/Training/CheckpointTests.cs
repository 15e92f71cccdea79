using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Training;

/// <summary>A run killed mid-training resumes from its last checkpoint and ends bit-identical to an uninterrupted run.</summary>
public class CheckpointTests
{
    private static readonly TrainConfig Config = new() { Steps = 120, BatchSize = 20, EvaluateEvery = 40, ReportEvery = 10, CheckpointEvery = 25 };

    public static TheoryData<string, int> Cases => new()
    {
        { "gradual magnitude, Adam", 57 },
        { "gradual magnitude, Adam", 101 },
        { "variational dropout, SGD with momentum", 83 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_run_interrupted_at_a_step_resumes_from_its_checkpoint_bit_identical(string kind, int interruptAt)
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var straight = Run(kind, data, checkpoint: null, interruptAt: null);
        var checkpoint = Path.Combine(TestFiles.TemporaryDirectory(), "run.checkpoint.sktf");
        Assert.Throws<OperationCanceledException>(() => Run(kind, data, checkpoint, interruptAt));
        Assert.True(File.Exists(checkpoint));
        int resumedAt = -1;
        var resumed = Run(kind, data, checkpoint, interruptAt: null, firstStep: step => resumedAt = step);

        Assert.Equal((interruptAt / 25 * 25 / 10 + 1) * 10, resumedAt);   // the first report after the last checkpoint
        Assert.Equal(straight.History, resumed.History);
        foreach (var ((name, a), (_, b)) in straight.Model.named_parameters().Zip(resumed.Model.named_parameters()))
            Assert.True(a.eq(b).all().item<bool>(), $"{name} differs after resuming");
    }

    [Fact]
    public void A_damaged_checkpoint_is_named_and_the_run_starts_from_step_zero()
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var checkpoint = Path.Combine(TestFiles.TemporaryDirectory(), "run.checkpoint.sktf");
        Assert.Throws<OperationCanceledException>(() => Run("gradual magnitude, Adam", data, checkpoint, 60));
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]);
        int resumedAt = -1;
        var straight = Run("gradual magnitude, Adam", data, null, null);
        var run = Run("gradual magnitude, Adam", data, checkpoint, null, step => resumedAt = step);
        Assert.Equal(10, resumedAt);
        Assert.Equal(straight.History, run.History);
    }

    private static TrainingRun Run(string kind, Dataset data, string? checkpoint, int? interruptAt, Action<int>? firstStep = null)
    {
        bool variational = kind.StartsWith("variational");
        var model = Zoo.LeNet300_100(4, layers: variational ? new VariationalDropoutLayers() : null, device: CPU);
        TrainingMethod method = variational ? new VariationalDropout()
            : new MagnitudePruning(SparsityDistribution.Uniform(0.8), PruningSchedule.Gradual(10, 90, 10));
        var config = Config with { Optimizer = variational ? new Sgd(0.05, Momentum: 0.9) : new Adam(1e-3) };
        return Trainer.Train(model, data, config, method, new Interrupt(interruptAt, firstStep), checkpoint: checkpoint);
    }

    private sealed class Interrupt(int? at, Action<int>? firstStep) : IProgress<TrainingProgress>
    {
        private bool _first = true;
        public void Report(TrainingProgress value)
        {
            if (_first) firstStep?.Invoke((int)value.Step);
            _first = false;
            if (value.Step >= at) throw new OperationCanceledException("killed by the test");
        }
    }
}
