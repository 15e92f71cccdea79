using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// SynFlow (Tanaka, Kunin, Yamins, Ganguli 2020): with every parameter replaced by its absolute value, R = sum of the
/// network's output for an all-ones input, and the score is |w * dR/dw|. Data-free: only the input's shape is read. Pruned
/// iteratively: over n rounds the density falls exponentially, (1 - s)^(k/n) after round k, the scores recomputed on the
/// masked network each round. The model's weights are restored afterwards.
/// </summary>
internal sealed class SynFlowCriterion : InitializationCriterion
{
    private readonly int _rounds;

    public SynFlowCriterion(int rounds)
    {
        if (rounds <= 0) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "SynFlow needs at least one round (Tanaka et al. use 100).");
        _rounds = rounds;
    }

    public override string Name => $"SynFlow ({_rounds} rounds)";

    /// <summary>One round's scores on the unmasked network.</summary>
    public override IReadOnlyList<Tensor> Scores(nn.Module<Tensor, Tensor> model, Dataset data, long seed, Prunable? prunable = null) =>
        WithAbsoluteParameters(model, () => RoundScores(model, data.ImageShape, prunable));

    public override MaskSet Masks(nn.Module<Tensor, Tensor> model, Dataset data, SparsityDistribution distribution, long seed, Prunable? prunable = null)
    {
        MaskSet? masks = null;
        return WithAbsoluteParameters(model, () =>
        {
            var layers = (prunable ?? Prunable.Default).Select(model);
            using var originals = new DisposableList(layers.Select(l => l.Parameter.detach().clone()));
            for (int k = 1; k <= _rounds; k++)
            {
                double sparsity = 1 - Math.Pow(1 - distribution.Target, (double)k / _rounds);
                using var scope = NewDisposeScope();
                var scores = RoundScores(model, data.ImageShape, prunable);
                var next = Prune.ToSparsity(model, distribution, new ScoreCriterion(Name, scores), masks, prunable, sparsity);
                masks?.Dispose();
                masks = next;
                // The next round sees the masked network: |w| of the survivors, zero elsewhere.
                using (no_grad())
                    for (int i = 0; i < layers.Count; i++) layers[i].Parameter.copy_(originals[i].mul(masks[layers[i].Name]));
            }
            return masks!;
        });
    }

    private static IReadOnlyList<Tensor> RoundScores(nn.Module<Tensor, Tensor> model, long[] imageShape, Prunable? prunable)
    {
        var layers = (prunable ?? Prunable.Default).Select(model);
        ClearGradients(model);
        using (var scope = NewDisposeScope())
        {
            var input = ones([1, .. imageShape], device: layers[0].Parameter.device);
            model.call(input).sum().backward();
        }
        using var noGrad = no_grad();
        var scores = layers.Select(l => l.Parameter.grad!.mul(l.Parameter).abs_()).ToList();
        ClearGradients(model);
        return scores;
    }

    // Linearise (every parameter to its absolute value, evaluation mode), run, then put signs, values and mode back.
    private static T WithAbsoluteParameters<T>(nn.Module<Tensor, Tensor> model, Func<T> body)
    {
        bool training = model.training;
        var parameters = model.parameters().ToList();
        using var saved = new DisposableList(parameters.Select(p => p.detach().clone()));
        using (no_grad()) foreach (var p in parameters) p.abs_();
        model.eval();
        try { return body(); }
        finally
        {
            using (no_grad()) for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(saved[i]);
            model.train(training);
        }
    }

    private sealed class DisposableList(IEnumerable<Tensor> tensors) : IDisposable
    {
        private readonly List<Tensor> _tensors = tensors.Select(t => t.DetachFromDisposeScope()).ToList();
        public Tensor this[int i] => _tensors[i];
        public void Dispose() { foreach (var t in _tensors) t.Dispose(); }
    }
}
