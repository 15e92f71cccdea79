namespace SparsityKit.Inference;

/// <summary>
/// When a weight layer runs the sparse kernel instead of libtorch's dense product: at or below a density (kept weights
/// over all weights), one limit for small batches and one for large. Measured with <c>bash bench/sparse-inference.sh</c>
/// on this project's 2-core AVX-512 machine (LeNet-300-100, one thread): at 80% sparsity the sparse model was 2.8x the
/// dense one at batch 10,000 and 1.1x at batch 1; at 50% sparsity nothing runs sparse. The limits sit between (70% and
/// 75% sparsity; not measured there), so a layer at 50% stays dense.
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
