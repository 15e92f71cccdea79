using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// Prunes during training: at each event of the schedule the masks are recomputed from the current weights by
/// the criterion, to the schedule's sparsity spread by the distribution; between events the masks are held.
/// </summary>
public class ScheduledPruning(SparsityDistribution distribution, PruningSchedule schedule, PruningCriterion criterion,
    Prunable? prunable = null) : MaskedTraining(prunable)
{
    public SparsityDistribution Distribution { get; } = distribution;
    public PruningSchedule Schedule { get; } = schedule;
    public PruningCriterion Criterion { get; } = criterion;

    public override string Name => $"{Criterion.Name} pruning ({Distribution})";

    public override void OnStart(TrainingContext context)
    {
        if (Schedule.LastEvent > context.Config.Steps)
            throw new ArgumentException($"The pruning schedule's last event (step {Schedule.LastEvent}) is after the end of training " +
                $"(step {context.Config.Steps}): end the schedule earlier or train longer.");
        SetMasks(context, MaskSet.Ones(context.Model, Prunable));
        PruneIfDue(context, 0);
    }

    public override void AfterStep(TrainingContext context)
    {
        base.AfterStep(context);
        PruneIfDue(context, context.Step);
    }

    private void PruneIfDue(TrainingContext context, long step)
    {
        if (Schedule.TargetAt(step, Distribution.Target) is not { } target) return;
        SetMasks(context, Prune.ToSparsity(context.Model, Distribution, Criterion, Masks, Prunable, target));
    }
}

/// <summary>Magnitude pruning (smallest |w| first) on a schedule: the simple method the paper finds as good as any.</summary>
public sealed class MagnitudePruning(SparsityDistribution distribution, PruningSchedule schedule, Prunable? prunable = null)
    : ScheduledPruning(distribution, schedule, PruningCriterion.Magnitude, prunable);

/// <summary>Random pruning on a schedule: the baseline every method must beat.</summary>
public sealed class RandomPruning(SparsityDistribution distribution, PruningSchedule schedule, long seed, Prunable? prunable = null)
    : ScheduledPruning(distribution, schedule, PruningCriterion.Random(seed), prunable);
