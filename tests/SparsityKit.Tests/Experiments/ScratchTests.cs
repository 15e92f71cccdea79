using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

public class ScratchTests
{
    [Theory]
    [InlineData(0.9, null, 10_000)]      // dense / sparse FLOPs = 10 for a uniformly 90% sparse MLP
    [InlineData(0.9, 2.0, 2_000)]        // Liu et al.'s cap: at most twice as long
    [InlineData(0.3, 2.0, 1_429)]        // 1 / 0.7 = 1.4286
    public void Scratch_b_scales_steps_by_the_flop_ratio_with_a_cap(double sparsity, double? cap, int expected)
    {
        var model = Zoo.LeNet300_100(device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(sparsity));
        var report = SparsityReport.Of(model, [1, 28, 28], masks);
        Assert.Equal(expected, Scratch.StepsFor(ScratchBudget.SameFlops, 1_000, report.DenseFlops, report.SparseFlops, cap));
        Assert.Equal(1_000, Scratch.StepsFor(ScratchBudget.SameSteps, 1_000, report.DenseFlops, report.SparseFlops, cap));
    }

    [Fact]
    public void Scratch_training_starts_from_a_fresh_init_keeps_the_mask_and_stretches_step_decay()
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.9));
        var config = new TrainConfig { Steps = 30, BatchSize = 20, EvaluateEvery = 10, Schedule = new StepDecay([15]) };
        var (run, record) = Scratch.Train(masks, seed => Zoo.LeNet300_100(seed, device: CPU), data, config, ScratchBudget.SameFlops, seed: 9);
        Assert.Equal(60, run.Config.Steps);
        Assert.Equal(new long[] { 30 }, ((StepDecay)run.Config.Schedule).Milestones);
        Assert.Equal("scratch-b", record.Kind);
        Assert.Equal(0.9, record.Sparsity, 4);
        var fc1 = run.Model.named_parameters().First(p => p.name == "fc1.weight").parameter;
        Assert.Equal((long)masks["fc1.weight"].sum().item<float>(), fc1.count_nonzero().item<long>());
    }
}
