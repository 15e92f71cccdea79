using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// RigL (Evci, Gale, Menick, Castro, Elsen 2020): dynamic sparse training that drops the smallest-magnitude weights
/// and grows the inactive weights with the largest dense-gradient magnitude. The dense gradient is read only at update
/// steps: the backward pass of a masked dense layer yields it anyway, and the optimizer masks it only afterwards.
/// </summary>
public sealed class RiggedLottery(SparsityDistribution distribution, long seed, DropAndGrowSchedule? schedule = null,
    Prunable? prunable = null) : DynamicSparseTraining(distribution, seed, schedule, prunable)
{
    public override string Name => $"RigL ({Distribution}, {Schedule})";

    protected override Tensor GrowScores(TrainingContext context, string name, Parameter weight) =>
        weight.grad?.abs() ?? throw new InvalidOperationException(
            $"RigL needs the gradient of '{name}' at the update, but it has none: the parameter must take part in the loss.");
}
