using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// A criterion for pruning at initialisation (SNIP, GraSP, SynFlow): scores that need the model (and for some, data),
/// not only the weights. The lowest scores are pruned. The model's weights and gradients are left as they were.
/// </summary>
public abstract class InitializationCriterion
{
    /// <summary>Lee et al. 2019: |g * w| on a batch of training data.</summary>
    public static InitializationCriterion Snip(int examples = 100, int batches = 1) => new SnipCriterion(examples, batches);

    /// <summary>Wang et al. 2020: prunes the highest -w * Hg (the weights whose removal least reduces gradient flow).</summary>
    public static InitializationCriterion Grasp(int examples = 100, int batches = 1, double temperature = 200) =>
        new GraspCriterion(examples, batches, temperature);

    /// <summary>Tanaka et al. 2020: data-free synaptic flow, pruned iteratively over <paramref name="rounds"/> on an exponential schedule.</summary>
    public static InitializationCriterion SynFlow(int rounds = 100) => new SynFlowCriterion(rounds);

    public abstract string Name { get; }

    /// <summary>One score tensor per prunable layer (same shapes as the weights, layer order); the lowest are pruned first.</summary>
    public abstract IReadOnlyList<Tensor> Scores(nn.Module<Tensor, Tensor> model, Dataset data, long seed, Prunable? prunable = null);

    /// <summary>Masks at the distribution's target, from the scores (SynFlow iterates instead).</summary>
    public virtual MaskSet Masks(nn.Module<Tensor, Tensor> model, Dataset data, SparsityDistribution distribution, long seed, Prunable? prunable = null)
    {
        using var scope = NewDisposeScope();
        var scores = Scores(model, data, seed, prunable);
        return Prune.ToSparsity(model, distribution, new ScoreCriterion(Name, scores), prunable: prunable);
    }

    public override string ToString() => Name;

    /// <summary><paramref name="batches"/> batches of <paramref name="examples"/> training examples drawn with the seed.</summary>
    internal static List<(Tensor Images, Tensor Labels)> Batches(Dataset data, int examples, int batches, long seed)
    {
        if (examples <= 0 || examples > data.TrainCount)
            throw new ArgumentOutOfRangeException(nameof(examples), examples, $"Examples per batch must lie in [1, {data.TrainCount}] (the training set's size).");
        if (batches <= 0) throw new ArgumentOutOfRangeException(nameof(batches), batches, "At least one batch is needed.");
        using var generator = Seeding.Generator(seed);
        var result = new List<(Tensor, Tensor)>();
        for (int b = 0; b < batches; b++)
        {
            var index = randperm(data.TrainCount, generator: generator).narrow(0, 0, examples).to(data.Device);
            result.Add((data.TrainImages.index_select(0, index), data.TrainLabels.index_select(0, index)));
        }
        return result;
    }

    /// <summary>Puts the model's gradients back to none, so a criterion leaves no trace in training.</summary>
    internal static void ClearGradients(nn.Module model)
    {
        foreach (var (_, p) in model.named_parameters()) p.grad = null;
    }
}
