using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// Prunes during training: at each event of the schedule the masks are recomputed from the current weights by
/// the criterion, to the schedule's sparsity spread by the distribution; between events the masks are held.
/// </summary>
public class ScheduledPruning(SparsityDistribution distribution, PruningSchedule schedule, PruningCriterion criterion,
    Prunable? prunable = null) : PruningOnSchedule(schedule, prunable)
{
    public SparsityDistribution Distribution { get; } = distribution;
    public PruningCriterion Criterion { get; } = criterion;

    public override string Name => $"{Criterion.Name} pruning ({Distribution})";

    protected override double FinalSparsity => Distribution.Target;

    protected override MaskSet MasksAt(TrainingContext context, double sparsity) =>
        Prune.ToSparsity(context.Model, Distribution, Criterion, Masks, Prunable, sparsity);
}

/// <summary>Magnitude pruning (smallest |w| first) on a schedule: the simple method the paper finds as good as any.</summary>
public sealed class MagnitudePruning(SparsityDistribution distribution, PruningSchedule schedule, Prunable? prunable = null)
    : ScheduledPruning(distribution, schedule, PruningCriterion.Magnitude, prunable);

/// <summary>Random pruning on a schedule: the baseline every method must beat.</summary>
public sealed class RandomPruning(SparsityDistribution distribution, PruningSchedule schedule, long seed, Prunable? prunable = null)
    : ScheduledPruning(distribution, schedule, PruningCriterion.Random(seed), prunable);
