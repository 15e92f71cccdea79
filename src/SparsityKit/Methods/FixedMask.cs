using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// Trains with a mask that never changes: fine-tuning after one-shot pruning, retraining a lottery ticket,
/// or training a pruned architecture from scratch.
/// </summary>
public sealed class FixedMask(MaskSet masks, Prunable? prunable = null, string name = "fixed mask") : MaskedTraining(prunable)
{
    public override string Name => name;

    public override void OnStart(TrainingContext context) => SetMasks(context, masks.Clone());
}
