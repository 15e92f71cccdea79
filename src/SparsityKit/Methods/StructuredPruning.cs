using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// Structured pruning on a schedule (Li et al. 2017 for filters): at each event whole neurons and filters with the
/// lowest score (L1 or L2 norm, or any <see cref="UnitCriterion"/>) are removed, with the next layer's inputs they fed
/// (<see cref="StructuredMasks"/>), to the schedule's sparsity of all prunable weights. <see cref="Compaction.Compact"/>
/// then builds the smaller dense network.
/// </summary>
public sealed class StructuredPruning(double sparsity, PruningSchedule schedule, UnitCriterion criterion, Prunable? prunable = null)
    : PruningOnSchedule(schedule, prunable)
{
    /// <summary>Scores units by a norm: L1 (Li et al.) by default, or L2.</summary>
    public StructuredPruning(double sparsity, PruningSchedule schedule, UnitNorm norm = UnitNorm.L1, Prunable? prunable = null)
        : this(sparsity, schedule, UnitCriterion.Norm(norm), prunable) { }

    public double Sparsity { get; } = SparsityDistribution.CheckFraction(sparsity, nameof(sparsity));
    public UnitCriterion Criterion { get; } = criterion ?? throw new ArgumentNullException(nameof(criterion));

    public override string Name => $"structured ({Criterion.Name})";

    protected override double FinalSparsity => Sparsity;

    protected override MaskSet MasksAt(TrainingContext context, double sparsity) =>
        StructuredMasks.Compute(context.Model, sparsity, Criterion, Masks, Prunable);
}
