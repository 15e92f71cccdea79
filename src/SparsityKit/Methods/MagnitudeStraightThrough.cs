using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// Straight-through magnitude pruning (jaxpruner's magnitude_ste): the forward pass uses only the top-k weights by
/// magnitude, the gradient computed there updates the dense weights (pruned ones included, so they can come back), and
/// k follows the sparsity of a pruning schedule. Each step: the model holds the masked weights for the forward and
/// backward; before the update the dense weights are put back; after it they are saved, the top-k mask recomputed at
/// the schedule's current sparsity and applied again. At the end the model holds the masked weights.
/// </summary>
public sealed class MagnitudeStraightThrough(SparsityDistribution distribution, PruningSchedule schedule, Prunable? prunable = null)
    : TrainingMethod
{
    private readonly Prunable _prunable = prunable ?? Prunable.Default;
    private List<(string Name, TorchSharp.Modules.Parameter Weight, Tensor Dense)> _layers = [];
    private MaskSet? _masks;
    private double _sparsity;

    public SparsityDistribution Distribution { get; } = distribution;
    public PruningSchedule Schedule { get; } = schedule;

    public override string Name => $"magnitude STE ({Distribution})";

    public override MaskSet? Masks => _masks;

    /// <summary>The dense weights behind the sparse forward, by parameter name (a copy; the method keeps its own).</summary>
    public IReadOnlyDictionary<string, Tensor> DenseWeights() => _layers.ToDictionary(l => l.Name, l => l.Dense.clone());

    public override void OnStart(TrainingContext context)
    {
        if (Schedule.LastEvent > context.Config.Steps)
            throw new ArgumentException($"The pruning schedule's last event (step {Schedule.LastEvent}) is after the end of training " +
                $"(step {context.Config.Steps}): end the schedule earlier or train longer.");
        foreach (var l in _layers) l.Dense.Dispose();
        using (no_grad())
            _layers = _prunable.Select(context.Model).Select(p => (p.Name, p.Parameter, p.Parameter.detach().clone().DetachFromDisposeScope())).ToList();
        _sparsity = 0;
        Sparsify(context, 0);
    }

    public override void BeforeStep(TrainingContext context)
    {
        // The gradient was taken at the sparse weights; the update applies it to the dense ones.
        using (no_grad()) foreach (var l in _layers) l.Weight.copy_(l.Dense);
    }

    public override void AfterStep(TrainingContext context)
    {
        using (no_grad()) foreach (var l in _layers) l.Dense.copy_(l.Weight);
        Sparsify(context, context.Step);
    }

    // Top-k of the dense weights at the schedule's current sparsity, applied to the model for the next forward.
    private void Sparsify(TrainingContext context, long step)
    {
        if (Schedule.TargetAt(step, Distribution.Target) is { } target) _sparsity = target;
        var masks = Prune.ToSparsity(context.Model, Distribution, PruningCriterion.Magnitude, prunable: _prunable, sparsity: _sparsity);
        _masks?.Dispose();
        _masks = masks;
        masks.ApplyTo(context.Model);
    }
}
