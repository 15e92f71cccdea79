using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// Pruning at initialisation (SNIP, GraSP, SynFlow): the criterion scores the freshly initialised model once, before
/// the first step, the masks are cut to the distribution's target (global included), and training keeps them fixed.
/// Magnitude at init, the baseline, is <see cref="MagnitudePruning"/> with <c>PruningSchedule.OneShot(0)</c>.
/// </summary>
/// <param name="seed">Picks the examples data-driven criteria score on.</param>
public sealed class PruningAtInitialization(InitializationCriterion criterion, SparsityDistribution distribution, long seed,
    Prunable? prunable = null) : MaskedTraining(prunable)
{
    public InitializationCriterion Criterion { get; } = criterion;
    public SparsityDistribution Distribution { get; } = distribution;
    public long Seed { get; } = seed;

    public override string Name => $"{Criterion.Name} at init ({Distribution})";

    public override void OnStart(TrainingContext context) =>
        SetMasks(context, Criterion.Masks(context.Model, context.Data, Distribution, Seed, Prunable));
}
