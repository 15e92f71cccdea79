namespace SparsityKit.Inference;

/// <summary>
/// When a weight layer runs the sparse kernel instead of libtorch's dense product: at or below a density (kept weights
/// over all weights), one limit for small batches and one for large. The defaults come from
/// <c>bash bench/sparse-inference.sh</c> on this project's 2-core AVX-512 machine, where the sparse product beat the
/// dense one from about 80% sparsity at batch 60 and 10,000, and from 70% at batch 1 (libtorch's per-call overhead
/// weighs more there); a layer at 50% stays dense.
/// </summary>
public sealed record SparseLayerChoice(double MaxDensitySmallBatch = 0.3, double MaxDensityLargeBatch = 0.25)
{
    public static SparseLayerChoice Default { get; } = new();

    /// <summary>Every layer sparse, whatever its density (for tests and measurements of the kernel alone).</summary>
    public static SparseLayerChoice AlwaysSparse { get; } = new(1, 1);

    /// <summary>Every layer dense (the masked dense model in the inference model's form).</summary>
    public static SparseLayerChoice NeverSparse { get; } = new(-1, -1);

    public bool RunsSparse(double density, long batch) =>
        density <= (batch < SparseKernel.BatchAlignment ? MaxDensitySmallBatch : MaxDensityLargeBatch);
}
