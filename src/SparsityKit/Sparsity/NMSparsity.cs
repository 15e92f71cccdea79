using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// N:M semi-structured sparsity (2:4 is what NVIDIA's sparse tensor cores run): in every group of M consecutive weights
/// along a layer's input dimension exactly N are kept. A convolution's weight [out, in, kh, kw] is read as rows of
/// [kh, kw, in] with the input channels innermost (the layout of NVIDIA's ASP), so a group spans M input channels at one
/// kernel position when in is a multiple of M. A trailing group shorter than M (an input size that is not a multiple of
/// M) keeps min(N, its length). Any criterion can fill the pattern: <see cref="Criterion"/> ranks the weights the pattern
/// keeps above the others, and <see cref="Distribution"/> prunes exactly the pattern's count per layer, so one-shot,
/// gradual (<c>ScheduledPruning</c>) and lottery pruning (prune once to the pattern, rewind, <c>FixedMask</c>) take it.
/// </summary>
public sealed record NMSparsity
{
    public NMSparsity(int n, int m)
    {
        if (m < 2 || n < 1 || n >= m)
            throw new ArgumentOutOfRangeException(nameof(n), $"{n}:{m} is not an N:M pattern: keep N of every M weights with 1 <= N < M (e.g. 2:4, 1:4, 4:8).");
        (N, M) = (n, m);
    }

    /// <summary>Weights kept per group.</summary>
    public int N { get; }

    /// <summary>Weights per group.</summary>
    public int M { get; }

    /// <summary>The pattern's sparsity, 1 - N/M (0.5 for 2:4).</summary>
    public double Sparsity => 1 - (double)N / M;

    /// <summary>Reads "2:4".</summary>
    public static NMSparsity Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int n) || !int.TryParse(parts[1], out int m))
            throw new FormatException($"'{text}' is not an N:M pattern: write it as N:M, e.g. 2:4.");
        return new NMSparsity(n, m);
    }

    public override string ToString() => $"{N}:{M}";

    /// <summary>Pruned weights the pattern leaves in a layer of this shape.</summary>
    public long PrunedCount(long[] shape)
    {
        if (shape.Length < 2) throw new ArgumentException($"N:M sparsity needs weight matrices or kernels; got shape [{string.Join(", ", shape)}].");
        long rowLength = shape.Skip(1).Aggregate(1L, (a, b) => a * b), full = rowLength / M, rest = rowLength % M;
        return shape[0] * (full * (M - N) + Math.Max(0, rest - N));
    }

    /// <summary>The 0/1 mask keeping the N highest scores of every group (ties to the earlier weight), same shape as the scores.</summary>
    public Tensor Mask(Tensor scores)
    {
        if (scores.dim() < 2) throw new ArgumentException($"N:M sparsity needs weight matrices or kernels; got shape [{string.Join(", ", scores.shape)}].");
        using var scope = NewDisposeScope();
        var rows = ToRows(scores.detach().to(ScalarType.Float32));
        long length = rows.shape[1], groups = (length + M - 1) / M;
        var padded = nn.functional.pad(rows, [0, groups * M - length], value: float.NegativeInfinity).view(rows.shape[0], groups, M);
        // A stable descending sort keeps ties in order; its first N per group are the kept weights.
        var (_, order) = sort(padded, dim: 2, descending: true, stable: true);
        var kept = zeros_like(padded).scatter_(2, order.narrow(2, 0, N), ones_like(padded));
        var mask = kept.view(rows.shape[0], groups * M).narrow(1, 0, length);
        return FromRows(mask, scores.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Whether every group of <paramref name="mask"/> keeps exactly its share (N, or min(N, length) for a short trailing group).</summary>
    public bool Holds(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var rows = ToRows(mask.to(ScalarType.Float32));
        long length = rows.shape[1], full = length / M, rest = length % M;
        bool ok = full == 0 || rows.narrow(1, 0, full * M).view(rows.shape[0], full, M).sum(2).eq(N).all().item<bool>();
        if (rest > 0) ok &= rows.narrow(1, full * M, rest).sum(1).eq(Math.Min(N, rest)).all().item<bool>();
        return ok;
    }

    /// <summary>A criterion that prunes the weights outside the pattern first (by <paramref name="inner"/>'s order among them).</summary>
    public PruningCriterion Criterion(PruningCriterion inner) => new NMCriterion(this, inner);

    /// <summary>Exactly the pattern's pruned count per layer at its sparsity; in proportion below it (gradual schedules).</summary>
    public SparsityDistribution Distribution() => new NMDistribution(this);

    // [out, in, k...] -> [out, k... * in] with the input channels innermost; a matrix is its own rows.
    internal static Tensor ToRows(Tensor weight)
    {
        if (weight.dim() == 2) return weight;
        var order = new long[weight.dim()];
        order[0] = 0;
        for (int d = 2; d < weight.dim(); d++) order[d - 1] = d;
        order[^1] = 1;
        return weight.permute(order).reshape(weight.shape[0], -1);
    }

    internal static Tensor FromRows(Tensor rows, long[] shape)
    {
        if (shape.Length == 2) return rows.contiguous();
        var permuted = new long[shape.Length];
        permuted[0] = shape[0];
        for (int d = 2; d < shape.Length; d++) permuted[d - 1] = shape[d];
        permuted[^1] = shape[1];
        var back = new long[shape.Length];
        back[0] = 0;
        back[1] = shape.Length - 1;
        for (int d = 2; d < shape.Length; d++) back[d] = d - 1;
        return rows.reshape(permuted).permute(back).contiguous();
    }
}

/// <summary>Scores 2 + rank for weights the pattern keeps, rank in [0, 1) for the others, so the lowest pruned fill the pattern.</summary>
internal sealed class NMCriterion(NMSparsity pattern, PruningCriterion inner) : PruningCriterion
{
    public override string Name => $"{inner.Name} {pattern}";

    internal override IReadOnlyList<Tensor> Score(IReadOnlyList<Tensor> weights) =>
        inner.Score(weights).Select(s =>
        {
            var flat = s.detach().flatten().to(ScalarType.Float32);
            var (_, order) = sort(flat, stable: true);
            var rank = empty_like(flat).index_put_(arange(flat.numel(), ScalarType.Float32, device: flat.device).div(flat.numel()), order);
            return pattern.Mask(s).flatten().mul(2).add(rank).view(s.shape);
        }).ToList();
}

internal sealed class NMDistribution(NMSparsity pattern) : SparsityDistribution(pattern.Sparsity)
{
    public override string Name => $"{pattern}";

    protected override PruneTargets AllocateAt(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity) =>
        PruneTargets.Layerwise(layers.ToDictionary(l => l.Name, l => Round(pattern.PrunedCount(l.Shape) * (Target == 0 ? 0 : sparsity / Target))));
}
