using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Sparsity;

public class NMSparsityTests
{
    // Counts kept weights per group straight from the weight's layout: input dimension innermost.
    private static void AssertEveryGroupHoldsN(Tensor mask, NMSparsity pattern)
    {
        var rows = mask.dim() == 2 ? mask : mask.permute(0, 2, 3, 1).reshape(mask.shape[0], -1);
        var values = rows.to(ScalarType.Float32).data<float>().ToArray();
        long length = rows.shape[1];
        for (long r = 0; r < rows.shape[0]; r++)
            for (long start = 0; start < length; start += pattern.M)
            {
                long size = Math.Min(pattern.M, length - start);
                float kept = 0;
                for (long j = 0; j < size; j++) kept += values[r * length + start + j];
                Assert.Equal(Math.Min(pattern.N, size), (long)kept);
            }
        Assert.True(pattern.Holds(mask));
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(1, 4)]
    [InlineData(4, 8)]
    public void Every_group_of_one_shot_magnitude_masks_holds_exactly_N_in_linear_and_conv_layers(int n, int m)
    {
        var pattern = new NMSparsity(n, m);
        foreach (var model in new[] { Zoo.LeNet300_100(seed: 1, device: CPU), Zoo.LeNet5(seed: 1, device: CPU) })
        {
            using var masks = Prune.ToSparsity(model, pattern.Distribution(), pattern.Criterion(PruningCriterion.Magnitude));
            foreach (var (name, mask) in masks.Entries) AssertEveryGroupHoldsN(mask, pattern);
            // And the kept weights are the largest of their group.
            var w = model.named_parameters().First(p => p.name == "fc1.weight").parameter.detach().abs().view(-1, m);
            var keep = masks["fc1.weight"].view(-1, m);
            Assert.True(w.masked_fill(keep.eq(0), float.PositiveInfinity).min(1).values.ge(w.masked_fill(keep.eq(1), -1).max(1).values).all().item<bool>());
        }
    }

    [Fact]
    public void A_mask_breaking_the_pattern_is_seen()
    {
        var mask = ones(2, 8);
        Assert.False(new NMSparsity(2, 4).Holds(mask));
    }

    [Fact]
    public void Gradual_and_lottery_pruning_end_on_the_pattern()
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 50, seed: 2, device: CPU);
        var pattern = new NMSparsity(2, 4);
        var config = new TrainConfig { Steps = 60, BatchSize = 20, EvaluateEvery = 0, SnapshotSteps = [0] };
        // Gradual: the schedule's last event cuts to the pattern.
        var gradual = new ScheduledPruning(pattern.Distribution(), PruningSchedule.Gradual(10, 40, 10), pattern.Criterion(PruningCriterion.Magnitude));
        var run = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: CPU), data, config, gradual);
        foreach (var (_, mask) in gradual.Masks!.Entries) AssertEveryGroupHoldsN(mask, pattern);
        Assert.Equal(0.5, gradual.Masks.Sparsity, 6);
        // Lottery: prune the trained weights to the pattern, rewind to the initial weights, retrain under the fixed mask.
        using var ticket = Prune.ToSparsity(run.Model, pattern.Distribution(), pattern.Criterion(PruningCriterion.Magnitude));
        var rewound = Zoo.LeNet300_100(seed: 1, device: CPU);
        run.Snapshots[0].RestoreInto(rewound);
        Trainer.Train(rewound, data, config with { SnapshotSteps = [] }, new FixedMask(ticket));
        foreach (var (name, p) in rewound.named_parameters().Where(p => p.name.EndsWith("weight")))
            AssertEveryGroupHoldsN(p.ne(0), pattern);
    }
}
