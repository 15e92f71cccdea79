using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using TorchSharp.Modules;
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
    private List<(string Name, Parameter Weight, Tensor Dense, Tensor Mask)> _layers = [];
    private double _sparsity;

    public SparsityDistribution Distribution { get; } = distribution;
    public PruningSchedule Schedule { get; } = schedule;

    public override string Name => $"magnitude STE ({Distribution})";

    /// <summary>The top-k masks of the current forward (a copy), or null before training.</summary>
    public override MaskSet? Masks => _layers.Count == 0 ? null : new MaskSet(_layers.Select(l => new KeyValuePair<string, Tensor>(l.Name, l.Mask.clone())));

    /// <summary>The dense weights behind the sparse forward, by parameter name (copies).</summary>
    public IReadOnlyDictionary<string, Tensor> DenseWeights() => _layers.ToDictionary(l => l.Name, l => l.Dense.clone());

    public override void OnStart(TrainingContext context)
    {
        if (Schedule.LastEvent > context.Config.Steps)
            throw new ArgumentException($"The pruning schedule's last event (step {Schedule.LastEvent}) is after the end of training " +
                $"(step {context.Config.Steps}): end the schedule earlier or train longer.");
        foreach (var l in _layers) { l.Dense.Dispose(); l.Mask.Dispose(); }
        using (no_grad())
            _layers = _prunable.Select(context.Model).Select(p => (p.Name, p.Parameter,
                p.Parameter.detach().clone().DetachFromDisposeScope(),
                // Contiguous whatever the weight's layout (channels-last kernels), so Sparsify can write it through a flat view.
                ones(p.Parameter.shape, p.Parameter.dtype, p.Parameter.device).DetachFromDisposeScope())).ToList();
        _sparsity = 0;
        Sparsify(0);
    }

    public override void BeforeStep(TrainingContext context)
    {
        // The gradient was taken at the sparse weights; the update applies it to the dense ones.
        using (no_grad()) foreach (var l in _layers) l.Weight.copy_(l.Dense);
    }

    public override void AfterStep(TrainingContext context)
    {
        using (no_grad()) foreach (var l in _layers) l.Dense.copy_(l.Weight);
        Sparsify(context.Step);
    }

    // Top-k of the dense weights at the schedule's current sparsity, applied to the model for the next forward.
    // Computed in place with topk (every step, so it avoids building mask sets).
    private void Sparsify(long step)
    {
        if (Schedule.TargetAt(step, Distribution.Target) is { } target) _sparsity = target;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var targets = Distribution.Allocate(_layers.Select(l => (l.Name, l.Weight.shape)).ToList(), _sparsity);
        if (targets.PerLayer is { } perLayer)
            foreach (var l in _layers) Keep(l.Mask.view(-1), l.Dense.abs().flatten(), l.Mask.numel() - perLayer[l.Name]);
        else
        {
            var all = cat(_layers.Select(l => l.Dense.abs().flatten()).ToList());
            var mask = zeros_like(all);
            Keep(mask, all, all.numel() - targets.Global!.Value);
            long offset = 0;
            foreach (var l in _layers) { l.Mask.view(-1).copy_(mask.narrow(0, offset, l.Mask.numel())); offset += l.Mask.numel(); }
        }
        foreach (var l in _layers) l.Weight.mul_(l.Mask);
    }

    private static void Keep(Tensor mask, Tensor magnitudes, long keep)
    {
        if (keep <= 0) { mask.zero_(); return; }
        // The keep-th largest magnitude by selection (linear time), exact unless magnitudes tie at the threshold.
        var threshold = magnitudes.kthvalue(magnitudes.numel() - keep + 1, 0, false).values;
        mask.copy_(magnitudes.ge(threshold));
        if (mask.sum().item<float>() == keep) return;
        mask.zero_().index_fill_(0, magnitudes.topk((int)keep).indexes, Scalars.One);
    }
}
