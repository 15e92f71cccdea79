namespace SparsityKit.Sparsity;

/// <summary>
/// Size and forward-pass cost of one weight layer, dense and sparse. FLOPs are multiply-accumulates per example
/// (one per use of a weight: once for a linear layer, once per output position for a convolution), the
/// convention ShrinkBench uses; bias additions and activations are not counted.
/// </summary>
public sealed record LayerCost(string Name, long Total, long Kept, long DenseFlops, long SparseFlops)
{
    public double Sparsity => Total == 0 ? 0 : 1 - (double)Kept / Total;
}
