using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Methods;

public class MagnitudeStraightThroughTests
{
    [Fact]
    public void Dense_weights_move_while_the_forward_stays_sparse()
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 300, testCount: 100, seed: 2, device: CPU);
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var initial = model.named_parameters().Where(p => p.name.EndsWith("weight")).ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var method = new ObservedSte(SparsityDistribution.Uniform(0.9), PruningSchedule.OneShot(0));
        Trainer.Train(model, data, new TrainConfig { Steps = 40, BatchSize = 30, EvaluateEvery = 0 }, method);

        // Every forward saw exactly 10% of each layer's weights.
        Assert.Equal(40, method.ForwardNonZero.Count);
        foreach (var counts in method.ForwardNonZero)
            foreach (var (name, kept) in counts) Assert.Equal((long)Math.Round(0.1 * initial[name].numel()), kept);
        // The dense weights behind it moved, the ones outside the final top-k included.
        var dense = method.DenseWeights();
        using var masks = method.Masks!;
        foreach (var (name, w0) in initial)
        {
            var pruned = masks[name].eq(0);
            Assert.True(dense[name].masked_select(pruned).ne(w0.masked_select(pruned)).sum().item<long>() > pruned.sum().item<long>() / 2,
                $"{name}: the dense weights outside the top-k did not move");
            Assert.Equal(0f, model.named_parameters().First(p => p.name == name).parameter.masked_select(pruned).abs().max().item<float>());
        }
    }

    /// <summary>Counts the non-zero weights the forward pass sees (after the backward, before the update).</summary>
    private sealed class ObservedSte(SparsityDistribution d, PruningSchedule s) : TrainingMethod
    {
        private readonly MagnitudeStraightThrough _inner = new(d, s);
        public List<Dictionary<string, long>> ForwardNonZero { get; } = [];
        public IReadOnlyDictionary<string, Tensor> DenseWeights() => _inner.DenseWeights();
        public override MaskSet? Masks => _inner.Masks;
        public override void OnStart(TrainingContext context) => _inner.OnStart(context);
        public override void BeforeStep(TrainingContext context)
        {
            ForwardNonZero.Add(context.Model.named_parameters().Where(p => p.name.EndsWith("weight"))
                .ToDictionary(p => p.name, p => p.parameter.count_nonzero().item<long>()));
            _inner.BeforeStep(context);
        }
        public override void AfterStep(TrainingContext context) => _inner.AfterStep(context);
    }
}
