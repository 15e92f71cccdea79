using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Methods;

public class MaskedTrainingTests
{
    private static Dataset Synthetic() => Datasets.Synthetic(trainCount: 300, testCount: 100, seed: 2, device: CPU);

    public static TheoryData<string> Optimizers => new() { "sgd-momentum", "adam" };

    private static OptimizerSettings Make(string name) =>
        name == "adam" ? new Adam(1e-3, WeightDecay: 1e-4) : new Sgd(0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Pruned_weights_are_exactly_zero_and_stay_zero_over_thousands_of_steps(string optimizer)
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Random(model, SparsityDistribution.Uniform(0.8), seed: 3);
        var method = new FixedMask(masks);
        var run = Trainer.Train(model, data, new TrainConfig { Steps = 2_000, BatchSize = 30, Optimizer = Make(optimizer), EvaluateEvery = 0 }, method);
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith("weight")))
        {
            Assert.Equal(0f, p.masked_select(masks[name].eq(0)).abs().max().item<float>());
            Assert.Equal((long)masks[name].sum().item<float>(), p.count_nonzero().item<long>());
        }
        Assert.True(run.TestAccuracy > 0.5);
    }

    [Fact]
    public void Gradual_magnitude_pruning_reaches_the_target_and_changes_masks_only_at_events()
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var method = new ObservedPruning(SparsityDistribution.Uniform(0.9), PruningSchedule.Gradual(begin: 20, end: 120, every: 25));
        Trainer.Train(model, data, new TrainConfig { Steps = 200, BatchSize = 30, EvaluateEvery = 0 }, method);
        // The event at step 20 is the schedule's start at sparsity 0, so the masks first change at 45.
        Assert.Equal(new long[] { 45, 70, 95, 120 }, method.Changes);
        Assert.Equal(0.9, method.Masks!.Sparsity, 5);
        foreach (var layer in method.Masks.Layers) Assert.Equal(0.9, layer.Sparsity, 3);
        Assert.Equal(method.Masks.Kept, model.named_parameters().Where(p => p.name.EndsWith("weight")).Sum(p => p.parameter.count_nonzero().item<long>()));
    }

    [Fact]
    public void Pruning_zeroes_the_optimizer_state_of_pruned_weights()
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var method = new ObservedPruning(SparsityDistribution.Uniform(0.5), PruningSchedule.OneShot(50));
        Trainer.Train(model, data, new TrainConfig { Steps = 80, BatchSize = 30, Optimizer = new Sgd(0.05, Momentum: 0.9), EvaluateEvery = 0 }, method);
        Assert.Equal(0f, method.MomentumOfPrunedAfterEvent);
    }

    [Fact]
    public void A_schedule_past_the_end_of_training_is_an_error()
    {
        using var data = Synthetic();
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(Zoo.LeNet300_100(device: CPU), data, new TrainConfig { Steps = 100 },
            new MagnitudePruning(SparsityDistribution.Uniform(0.5), PruningSchedule.Gradual(0, 500, 100))));
        Assert.Contains("after the end of training", e.Message);
    }

    /// <summary>Magnitude pruning that records when its masks change and what the optimizer holds for pruned weights.</summary>
    private sealed class ObservedPruning(SparsityDistribution d, PruningSchedule s) : ScheduledPruning(d, s, PruningCriterion.Magnitude)
    {
        private Tensor? _previous;
        public List<long> Changes { get; } = [];
        public float MomentumOfPrunedAfterEvent { get; private set; } = float.NaN;

        public override void AfterStep(TrainingContext context)
        {
            base.AfterStep(context);
            var current = Masks!["fc1.weight"];
            if (_previous is not null && !_previous.allclose(current, 0, 0))
            {
                Changes.Add(context.Step);
                MomentumOfPrunedAfterEvent = context.Optimizer.StateOf("fc1.weight").Sum(state => state.mul(1 - current).abs().sum().item<float>());
            }
            _previous?.Dispose();
            _previous = current.clone().DetachFromDisposeScope();
        }
    }
}
