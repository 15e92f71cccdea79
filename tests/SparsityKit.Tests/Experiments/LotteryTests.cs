using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

public class LotteryTests
{
    private static readonly TrainConfig Short = new() { Steps = 40, BatchSize = 20, EvaluateEvery = 20, Optimizer = new Adam(1e-3) };
    private static readonly ModelFactory LeNet = seed => Zoo.LeNet300_100(seed, device: CPU);

    private static Dataset Synthetic() => Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);

    [Fact]
    public void Rewinding_to_step_zero_restores_the_exact_initial_values_of_surviving_weights()
    {
        using var data = Synthetic();
        var model = LeNet(5);
        using var init = WeightSnapshot.Capture(model, 0);
        Trainer.Train(model, data, Short);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
        var rewound = Lottery.Rewound(LeNet, 5, init, masks);
        foreach (var (name, p) in rewound.named_parameters())
        {
            var expected = masks.Names.Contains(name) ? init[name] * masks[name] : init[name];
            Assert.True(p.allclose(expected, 0, 0), $"{name} was not rewound to its initial value");
        }
    }

    [Fact]
    public void Rewinding_to_step_k_restores_the_snapshot_of_step_k()
    {
        using var data = Synthetic();
        var run = Trainer.Train(LeNet(5), data, Short with { SnapshotSteps = [20] });
        using var masks = Prune.Magnitude(run.Model, SparsityDistribution.Uniform(0.5));
        var rewound = Lottery.Rewound(LeNet, 5, run.Snapshots[20], masks);
        var fc1 = rewound.named_parameters().First(p => p.name == "fc1.weight").parameter;
        Assert.True(fc1.allclose(run.Snapshots[20]["fc1.weight"] * masks["fc1.weight"], 0, 0));
        Assert.False(fc1.allclose(LeNet(5).named_parameters().First().parameter * masks["fc1.weight"]));
    }

    [Fact]
    public void Round_r_prunes_hidden_layers_to_one_minus_0_8_to_the_r_within_one_weight()
    {
        using var data = Synthetic();
        var result = Lottery.Run("rounds", LeNet, data, Short, new LotteryConfig { Rounds = 3, Controls = LotteryControls.None });
        foreach (var ticket in result.Of("ticket"))
        {
            foreach (var (layer, size) in new[] { ("fc1.weight", 235_200), ("fc2.weight", 30_000) })
                Assert.InRange(ticket.LayerSparsity[layer] * size, (1 - Math.Pow(0.8, ticket.Round)) * size - 1, (1 - Math.Pow(0.8, ticket.Round)) * size + 1);
            Assert.InRange(ticket.LayerSparsity["fc3.weight"] * 1_000, (1 - Math.Pow(0.9, ticket.Round)) * 1_000 - 1, (1 - Math.Pow(0.9, ticket.Round)) * 1_000 + 1);
        }
        Assert.Equal(new[] { 1, 2, 3 }, result.Of("ticket").Select(r => r.Round));
    }

    [Fact]
    public void Rounds_with_an_n_m_pattern_end_on_masks_where_every_group_keeps_exactly_n()
    {
        using var data = Synthetic();
        var folder = TestFiles.TemporaryDirectory();
        var store = new RunStore(folder);
        var pattern = new NMSparsity(2, 4);
        // Round 1 prunes 30% of each layer, round 2 would reach 51%: it stops at the pattern's 50%.
        var result = Lottery.Run("nm", LeNet, data, Short with { Steps = 10, EvaluateEvery = 0 },
            new LotteryConfig { Rounds = 2, Rate = 0.3, OutputLayerRate = null, Pattern = pattern, Controls = LotteryControls.None }, store);
        Assert.All(result.Of("ticket").Single(r => r.Round == 2).LayerSparsity, l => Assert.Equal(0.5, l.Value));
        var file = Directory.GetFiles(folder, "r02.masks.sktf", SearchOption.AllDirectories).Single();
        using var masks = store.LoadMasks(Path.GetRelativePath(folder, file)[..^".masks.sktf".Length]);
        foreach (var (name, mask) in masks.Entries) Assert.True(pattern.Holds(mask), $"{name} breaks the 2:4 pattern");
    }

    [Fact]
    public void An_n_m_pattern_with_global_pruning_is_refused()
    {
        var config = new LotteryConfig { Pattern = new NMSparsity(2, 4), Global = true, OutputLayerRate = null };
        Assert.Contains("Global = false", Assert.Throws<ArgumentException>(config.Validate).Message);
    }

    [Fact]
    public void Controls_use_the_tickets_sparsity_and_budget_and_differ_only_in_weights_or_mask()
    {
        using var data = Synthetic();
        var result = Lottery.Run("controls", LeNet, data, Short, new LotteryConfig { Rounds = 1, Seeds = [1, 2] });
        foreach (var seed in new long[] { 1, 2 })
        {
            var ticket = result.Records.Single(r => r.Kind == "ticket" && r.Seed == seed);
            var reinit = result.Records.Single(r => r.Kind == "reinit" && r.Seed == seed);
            var random = result.Records.Single(r => r.Kind == "random-mask" && r.Seed == seed);
            Assert.Equal(ticket.LayerSparsity, reinit.LayerSparsity);
            Assert.Equal(ticket.LayerSparsity, random.LayerSparsity);
            Assert.Equal(ticket.Steps, reinit.Steps);
            Assert.NotEqual(ticket.TestLoss, reinit.TestLoss);
            Assert.NotEqual(ticket.TestLoss, random.TestLoss);
        }
        var scratchB = result.Of("scratch-b").First();
        Assert.Equal(new long[] { 1, 2 }, result.Of("scratch-b").Select(r => r.Seed).Distinct().Order());
        Assert.Equal(Scratch.StepsFor(ScratchBudget.SameFlops, Short.Steps, scratchB.DenseFlops, scratchB.SparseFlops), scratchB.Steps);
    }

    [Fact]
    public void An_interrupted_experiment_resumes_without_recomputing_finished_runs()
    {
        using var data = Synthetic();
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var config = new LotteryConfig { Rounds = 3, Controls = LotteryControls.RandomReinit };
        // Interrupt during the fourth training (dense, r1 ticket, r1 reinit done; r2 ticket in progress).
        var interrupt = new InterruptAfter(runs: 3);
        Assert.Throws<OperationCanceledException>(() => Lottery.Run("resume", LeNet, data, Short, config, store, interrupt));

        var resumed = Lottery.Run("resume", LeNet, data, Short, config, store);
        Assert.Equal(3, resumed.Loaded);
        Assert.Equal(4, resumed.Computed);

        var again = Lottery.Run("resume", LeNet, data, Short, config, store);
        Assert.Equal(0, again.Computed);
        Assert.Equal(resumed.Records.Select(r => r.TestLoss), again.Records.Select(r => r.TestLoss));

        // More rounds and more controls reuse every finished run.
        var extended = Lottery.Run("resume", LeNet, data, Short, config with { Rounds = 4, Controls = LotteryControls.RandomReinit | LotteryControls.RandomMask }, store);
        Assert.Equal(7, extended.Loaded);
        Assert.Equal(6, extended.Computed);   // round 4's ticket and reinit, and the random-mask control of rounds 1 to 4
        // Different settings are a different experiment, not a stale cache hit.
        Assert.Equal(7, Lottery.Run("resume", LeNet, data, Short with { Steps = 20, EvaluateEvery = 10 }, config, store).Computed);
    }

    [Fact]
    public void Resumed_results_equal_uninterrupted_results()
    {
        using var data = Synthetic();
        var config = new LotteryConfig { Rounds = 2, Controls = LotteryControls.None };
        var store = new RunStore(TestFiles.TemporaryDirectory());
        Assert.Throws<OperationCanceledException>(() => Lottery.Run("same", LeNet, data, Short, config, store, new InterruptAfter(runs: 2)));
        var resumed = Lottery.Run("same", LeNet, data, Short, config, store);
        var straight = Lottery.Run("same", LeNet, data, Short, config);
        Assert.Equal(straight.Records.Select(r => r.TestLoss), resumed.Records.Select(r => r.TestLoss));
    }

    [Fact]
    public void A_trial_seed_sets_the_batch_order_when_asked()
    {
        using var data = Synthetic();
        var lottery = new LotteryConfig { Rounds = 0, Seeds = [4], Controls = LotteryControls.None };
        var fixedOrder = Lottery.Run("order", LeNet, data, Short, lottery).Records.Single();
        var seeded = Lottery.Run("order", LeNet, data, Short, lottery with { SeedSetsBatchOrder = true }).Records.Single();
        var expected = Trainer.Train(LeNet(4), data, Short with { DataSeed = 4 });
        Assert.Equal(expected.Final.TestLoss, seeded.TestLoss);
        Assert.NotEqual(fixedOrder.TestLoss, seeded.TestLoss);
        Assert.Equal(Trainer.Train(LeNet(4), data, Short).Final.TestLoss, fixedOrder.TestLoss);
    }

    /// <summary>A progress reporter that cancels the experiment when the given number of trainings have finished and another starts.</summary>
    private sealed class InterruptAfter(int runs) : IProgress<TrainingProgress>
    {
        private int _finished;
        public void Report(TrainingProgress value)
        {
            if (value.Step == value.TotalSteps) _finished++;
            else if (_finished >= runs) throw new OperationCanceledException("interrupted by the test");
        }
    }
}
