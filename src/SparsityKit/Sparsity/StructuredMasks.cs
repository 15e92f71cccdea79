using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// Masks that remove whole units: neurons of linear layers (rows) and filters of convolutions, together with the next
/// layer's inputs they fed (columns, or the block of columns a flattened feature map of that channel occupies). The
/// prunable layers must form a chain in registration order (LeNet-300-100, LeNet-5, any MLP or plain CNN); the last
/// layer's units are the outputs and are never removed. Every hidden layer keeps the same fraction of its units, chosen
/// so that the pruned fraction of all prunable weights (the next layers' lost inputs counted) is closest to the target.
/// </summary>
public static class StructuredMasks
{
    /// <summary>
    /// Structured masks at total sparsity <paramref name="sparsity"/>: in each hidden layer the units with the smallest
    /// norm go first; units already removed in <paramref name="current"/> stay removed.
    /// </summary>
    public static MaskSet Compute(nn.Module model, double sparsity, UnitNorm norm = UnitNorm.L1, MaskSet? current = null, Prunable? prunable = null) =>
        Compute(model, sparsity, UnitCriterion.Norm(norm), current, prunable);

    /// <summary>
    /// Structured masks at total sparsity <paramref name="sparsity"/> with units scored by any <paramref name="criterion"/>
    /// (the lowest go first); units already removed in <paramref name="current"/> stay removed.
    /// </summary>
    public static MaskSet Compute(nn.Module model, double sparsity, UnitCriterion criterion, MaskSet? current = null, Prunable? prunable = null)
    {
        SparsityDistribution.CheckFraction(sparsity, nameof(sparsity));
        var layers = Prune.Layers(model, current, prunable);
        if (layers.Count < 2) throw new ArgumentException("Structured pruning needs at least two prunable layers: the last layer's units are the outputs and are never removed.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var shapes = layers.Select(l => l.Weight.shape).ToList();
        var blocks = Blocks(layers.Select(l => (l.Name, l.Weight.shape)).ToList());
        int hidden = layers.Count - 1;

        // Unit scores (removed units at -inf) and how many units are alive; the criterion sees removed weights at zero.
        var masked = layers.Select(l => (l.Name, Weight: current is null ? l.Weight.detach() : l.Weight.detach().mul(current[l.Name].to(l.Weight.device)))).ToList();
        var unitScores = criterion.Score(masked);
        var scores = new List<Tensor>();
        var alive = new long[hidden];
        for (int i = 0; i < hidden; i++)
        {
            var w = masked[i].Weight;
            var score = unitScores[i].to(w.device).to(ScalarType.Float32);
            if (current is not null)
            {
                var live = current[layers[i].Name].to(w.device).flatten(1).sum(1).gt(Scalars.Zero);
                score = score.masked_fill(live.logical_not(), Scalars.NegativeInfinity);
                alive[i] = live.sum().item<long>();
            }
            else alive[i] = shapes[i][0];
            scores.Add(score);
        }

        // The keep fraction q (one for all hidden layers) whose kept weights come closest to the target.
        long total = shapes.Sum(s => s.Aggregate(1L, (a, b) => a * b));
        double target = (1 - sparsity) * total;
        long[] Units(double q) => Enumerable.Range(0, hidden).Select(i => Math.Clamp((long)Math.Round(q * shapes[i][0]), Math.Min(1, alive[i]), alive[i])).ToArray();
        long Kept(long[] units)
        {
            long kept = 0, inputs = shapes[0][1];
            for (int j = 0; j < layers.Count; j++)
            {
                long rows = j < hidden ? units[j] : shapes[j][0];
                long perInput = shapes[j].Skip(2).Aggregate(1L, (a, b) => a * b);
                kept += rows * inputs * perInput;
                if (j < hidden) inputs = units[j] * blocks[j];
            }
            return kept;
        }
        var candidates = Enumerable.Range(0, hidden).SelectMany(i => Enumerable.Range(0, (int)shapes[i][0] + 1).Select(u => (double)u / shapes[i][0]));
        var best = candidates.Distinct().Select(q => Units(q)).MinBy(u => (Math.Abs(Kept(u) - target), -u.Sum()))!;
        // Then one unit more or less in the largest hidden layer while that comes closer: when it holds most of the weights
        // (LeNet-5's fc1) one shared fraction is too coarse. Only there, so that a gradual schedule, whose removed units stay
        // removed, cannot starve a small layer of its units by many fine adjustments.
        int largest = Enumerable.Range(0, hidden).MaxBy(i => shapes[i].Aggregate(1L, (a, b) => a * b));
        for (bool improved = true; improved;)
        {
            improved = false;
            foreach (int delta in new[] { -1, 1 })
            {
                long units = best[largest] + delta;
                if (units < Math.Min(1, alive[largest]) || units > alive[largest]) continue;
                var trial = (long[])best.Clone();
                trial[largest] = units;
                if (Math.Abs(Kept(trial) - target) < Math.Abs(Kept(best) - target)) { best = trial; improved = true; }
            }
        }

        // Rows of the kept units; columns of the inputs they feed.
        var unitKeep = new List<Tensor>();
        for (int i = 0; i < hidden; i++)
        {
            var (_, order) = sort(scores[i], descending: true, stable: true);
            unitKeep.Add(zeros(shapes[i][0], device: scores[i].device).index_fill_(0, order.narrow(0, 0, best[i]), Scalars.One));
        }
        var masks = new List<KeyValuePair<string, Tensor>>();
        for (int j = 0; j < layers.Count; j++)
        {
            var device = layers[j].Weight.device;
            var rows = j < hidden ? unitKeep[j] : ones(shapes[j][0], device: device);
            var columns = j == 0 ? ones(shapes[0][1], device: device) : unitKeep[j - 1].repeat_interleave(blocks[j - 1]);
            var view = Enumerable.Repeat(1L, shapes[j].Length).ToArray();
            var rowView = (long[])view.Clone(); rowView[0] = shapes[j][0];
            var columnView = (long[])view.Clone(); columnView[1] = shapes[j][1];
            var mask = rows.view(rowView).mul(columns.view(columnView)).expand(shapes[j]).contiguous();
            masks.Add(new(layers[j].Name, mask));
        }
        return new MaskSet(masks);
    }

    /// <summary>For each hidden layer, how many inputs of the next layer one of its units feeds (1, or a flattened map's size).</summary>
    internal static long[] Blocks(IReadOnlyList<(string Name, long[] Shape)> layers)
    {
        var blocks = new long[layers.Count - 1];
        for (int i = 0; i < blocks.Length; i++)
        {
            long units = layers[i].Shape[0], inputs = layers[i + 1].Shape[1];
            if (inputs % units != 0)
                throw new ArgumentException($"Structured pruning needs the prunable layers to form a chain: '{layers[i + 1].Name}' has {inputs} inputs, " +
                    $"which is not a multiple of the {units} units of '{layers[i].Name}'. Use it on chains (LeNet-300-100, LeNet-5) or pass a Prunable that selects one.");
            blocks[i] = inputs / units;
        }
        return blocks;
    }
}
