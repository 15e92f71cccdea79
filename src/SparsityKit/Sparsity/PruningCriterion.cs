using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>Scores weights for pruning: the lowest-scoring unpruned weights are pruned first.</summary>
public abstract class PruningCriterion
{
    /// <summary>Smallest |w| pruned first (the paper's magnitude pruning).</summary>
    public static PruningCriterion Magnitude { get; } = new MagnitudeCriterion();

    /// <summary>Uniformly random choice; the masks depend only on the seed and the layer order.</summary>
    public static PruningCriterion Random(long seed) => new RandomCriterion(seed);

    public abstract string Name { get; }

    /// <summary>Scores for every weight of each layer, in layer order, same shapes as the weights.</summary>
    internal abstract IReadOnlyList<Tensor> Score(IReadOnlyList<Tensor> weights);

    private sealed class MagnitudeCriterion : PruningCriterion
    {
        public override string Name => "magnitude";

        internal override IReadOnlyList<Tensor> Score(IReadOnlyList<Tensor> weights) =>
            weights.Select(w => w.detach().abs()).ToList();
    }

    private sealed class RandomCriterion(long seed) : PruningCriterion
    {
        public override string Name => $"random (seed {seed})";

        internal override IReadOnlyList<Tensor> Score(IReadOnlyList<Tensor> weights)
        {
            // A fresh generator per call: the same seed always draws the same scores for the same layers.
            using var generator = Seeding.Generator(seed);
            return weights.Select(w => rand(w.shape, generator: generator).to(w.device)).ToList();
        }
    }
}
