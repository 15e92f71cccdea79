using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// The skeleton of pruning during training: the masks start all ones, are recomputed at each event of the schedule to
/// the schedule's sparsity (<see cref="MasksAt"/>), and are held between events.
/// </summary>
public abstract class PruningOnSchedule(PruningSchedule schedule, Prunable? prunable) : MaskedTraining(prunable)
{
    public PruningSchedule Schedule { get; } = schedule;

    /// <summary>The sparsity the schedule ends at.</summary>
    protected abstract double FinalSparsity { get; }

    /// <summary>The masks at <paramref name="sparsity"/>, from the current weights and <see cref="MaskedTraining.Masks"/>.</summary>
    protected abstract MaskSet MasksAt(TrainingContext context, double sparsity);

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
        if (Schedule.TargetAt(step, FinalSparsity) is not { } target) return;
        SetMasks(context, MasksAt(context, target));
    }
}
