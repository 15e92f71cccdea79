using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// Structured pruning on a schedule (Li et al. 2017 for filters): at each event whole neurons and filters with the
/// smallest norm are removed, with the next layer's inputs they fed (<see cref="StructuredMasks"/>), to the schedule's
/// sparsity of all prunable weights. <see cref="Compaction.Compact"/> then builds the smaller dense network.
/// </summary>
public sealed class StructuredPruning(double sparsity, PruningSchedule schedule, UnitNorm norm = UnitNorm.L1, Prunable? prunable = null)
    : MaskedTraining(prunable)
{
    public double Sparsity { get; } = SparsityDistribution.CheckFraction(sparsity, nameof(sparsity));
    public PruningSchedule Schedule { get; } = schedule;
    public UnitNorm Norm { get; } = norm;

    public override string Name => $"structured ({Norm} norm)";

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
        if (Schedule.TargetAt(step, Sparsity) is not { } target) return;
        SetMasks(context, StructuredMasks.Compute(context.Model, target, Norm, Masks, Prunable));
    }
}
