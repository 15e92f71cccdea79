using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>Which weights a pruning amount is measured against when some are already pruned.</summary>
public enum RelativeTo
{
    /// <summary>Prune a fraction of the weights that remain (iterative pruning, lottery tickets).</summary>
    Remaining,
    /// <summary>Reach a fraction of all weights pruned (already-pruned ones count toward it).</summary>
    Total,
}

/// <summary>One-line pruning of a model's weights into a <see cref="MaskSet"/>; the model itself is not changed.</summary>
public static class Prune
{
    /// <summary>Magnitude pruning to a total sparsity spread by <paramref name="distribution"/>.</summary>
    public static MaskSet Magnitude(nn.Module model, SparsityDistribution distribution, MaskSet? current = null, Prunable? prunable = null) =>
        ToSparsity(model, distribution, PruningCriterion.Magnitude, current, prunable);

    /// <summary>Random pruning to a total sparsity spread by <paramref name="distribution"/>; the mask depends only on the seed.</summary>
    public static MaskSet Random(nn.Module model, SparsityDistribution distribution, long seed, MaskSet? current = null, Prunable? prunable = null) =>
        ToSparsity(model, distribution, PruningCriterion.Random(seed), current, prunable);

    /// <summary>Prunes to total sparsity <paramref name="sparsity"/> (default the distribution's target) with any criterion.</summary>
    public static MaskSet ToSparsity(nn.Module model, SparsityDistribution distribution, PruningCriterion criterion,
        MaskSet? current = null, Prunable? prunable = null, double? sparsity = null)
    {
        var layers = Layers(model, current, prunable);
        var targets = distribution.Allocate(layers.Select(l => (l.Name, l.Weight.shape)).ToList(), sparsity);
        return MaskComputer.Compute(layers, current, criterion, RaiseToAlreadyPruned(targets, current));
    }

    /// <summary>
    /// Prunes an amount per layer (layerwise) or over all layers (<paramref name="global"/>): by default a fraction of the
    /// weights that remain, as iterative pruning does; <paramref name="amountForLayer"/> can give some layers another amount
    /// (Frankle and Carbin prune the output layer at half the rate).
    /// </summary>
    public static MaskSet ByAmount(nn.Module model, Amount amount, PruningCriterion criterion, MaskSet? current = null,
        bool global = false, RelativeTo relativeTo = RelativeTo.Remaining, Func<string, Amount?>? amountForLayer = null,
        Prunable? prunable = null)
    {
        var layers = Layers(model, current, prunable);
        var keptByLayer = current?.Layers.ToDictionary(l => l.Name, l => l.Kept);
        var kept = layers.Select(l => keptByLayer?[l.Name] ?? l.Weight.numel()).ToList();
        long Target(Amount a, long total, long remaining) => relativeTo == RelativeTo.Remaining
            ? total - remaining + a.Of(remaining)
            : Math.Max(total - remaining, a.Of(total));
        if (global)
        {
            if (amountForLayer is not null) throw new ArgumentException("Per-layer amounts do not apply to global pruning.", nameof(amountForLayer));
            long total = layers.Sum(l => l.Weight.numel());
            return MaskComputer.Compute(layers, current, criterion, PruneTargets.AcrossLayers(Target(amount, total, kept.Sum())));
        }
        var perLayer = layers.Select((l, i) => (l.Name, Count: Target(amountForLayer?.Invoke(l.Name) ?? amount, l.Weight.numel(), kept[i])))
            .ToDictionary(x => x.Name, x => x.Count);
        return MaskComputer.Compute(layers, current, criterion, PruneTargets.Layerwise(perLayer));
    }

    /// <summary>The prunable weights, in layer order, checked against the current masks if any.</summary>
    internal static List<(string Name, Tensor Weight)> Layers(nn.Module model, MaskSet? current, Prunable? prunable)
    {
        var layers = (prunable ?? Prunable.Default).Select(model).Select(p => (p.Name, (Tensor)p.Parameter)).ToList();
        if (current is not null && !current.Names.SequenceEqual(layers.Select(l => l.Name)))
            throw new ArgumentException($"The current masks cover [{string.Join(", ", current.Names)}] but the prunable parameters are " +
                $"[{string.Join(", ", layers.Select(l => l.Name))}].");
        current?.CheckShapes(layers, "the weight");
        return layers;
    }

    // Pruned weights stay pruned: a target below what a layer already has pruned keeps the existing mask.
    private static PruneTargets RaiseToAlreadyPruned(PruneTargets targets, MaskSet? current)
    {
        if (current is null) return targets;
        var pruned = current.Layers.ToDictionary(l => l.Name, l => l.Pruned);
        return targets.PerLayer is { } perLayer
            ? PruneTargets.Layerwise(perLayer.ToDictionary(kv => kv.Key, kv => Math.Max(kv.Value, pruned[kv.Key])))
            : PruneTargets.AcrossLayers(Math.Max(targets.Global!.Value, pruned.Values.Sum()));
    }
}
