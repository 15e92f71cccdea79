using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// The static sparse baseline of Evci et al.: a random mask drawn at the start of training under a distribution and
/// never changed; what SET and RigL must beat to show that moving the connections helps.
/// </summary>
public sealed class StaticSparseTraining(SparsityDistribution distribution, long seed, Prunable? prunable = null) : MaskedTraining(prunable)
{
    public SparsityDistribution Distribution { get; } = distribution;
    public long Seed { get; } = seed;

    public override string Name => $"static sparse ({Distribution})";

    public override void OnStart(TrainingContext context) =>
        SetMasks(context, Prune.Random(context.Model, Distribution, Seed, prunable: Prunable));
}
