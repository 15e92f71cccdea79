using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// Turns scores into masks with exact counts: the lowest-scoring weights are pruned, already-pruned weights
/// first (they stay pruned and count toward the target), ties broken by position (a stable sort).
/// </summary>
internal static class MaskComputer
{
    public static MaskSet Compute(IReadOnlyList<(string Name, Tensor Weight)> layers, MaskSet? current,
        PruningCriterion criterion, PruneTargets targets)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var scores = criterion.Score(layers.Select(l => l.Weight).ToList());
        var flat = new List<Tensor>();
        var alreadyPruned = new List<long>();
        for (int i = 0; i < layers.Count; i++)
        {
            var s = scores[i].flatten().to(ScalarType.Float32);
            if (current is not null)
            {
                var keep = current[layers[i].Name].to(s.device).flatten();
                s = s.masked_fill(keep.eq(Scalars.Zero), Scalars.NegativeInfinity);
                alreadyPruned.Add(keep.numel() - (long)keep.sum().item<float>());
            }
            else alreadyPruned.Add(0);
            flat.Add(s);
        }

        var masks = new List<KeyValuePair<string, Tensor>>();
        if (targets.PerLayer is { } perLayer)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                var name = layers[i].Name;
                if (!perLayer.TryGetValue(name, out var count))
                    throw new ArgumentException($"No pruning target for layer '{name}'.");
                Check(name, count, alreadyPruned[i], flat[i].numel());
                masks.Add(new(name, PruneLowest(flat[i], count).view(layers[i].Weight.shape)));
            }
        }
        else
        {
            long total = targets.Global!.Value;
            Check("all layers", total, alreadyPruned.Sum(), flat.Sum(f => f.numel()));
            var all = PruneLowest(cat(flat), total);
            long offset = 0;
            for (int i = 0; i < layers.Count; i++)
            {
                long n = flat[i].numel();
                masks.Add(new(layers[i].Name, all.narrow(0, offset, n).view(layers[i].Weight.shape)));
                offset += n;
            }
        }
        return new MaskSet(masks.Select(m => new KeyValuePair<string, Tensor>(m.Key, m.Value.contiguous())));
    }

    private static void Check(string name, long target, long alreadyPruned, long total)
    {
        if (target > total) throw new ArgumentOutOfRangeException(nameof(target), $"{name}: cannot prune {target} of {total} weights.");
        if (target < alreadyPruned)
            throw new ArgumentException($"{name}: the target of {target} pruned weights is below the {alreadyPruned} already pruned; pruned weights stay pruned.");
    }

    private static Tensor PruneLowest(Tensor scores, long count)
    {
        var mask = ones_like(scores);
        if (count == 0) return mask;
        var (_, order) = sort(scores, stable: true);
        return mask.index_fill_(0, order.narrow(0, 0, count), Scalars.Zero);
    }
}
