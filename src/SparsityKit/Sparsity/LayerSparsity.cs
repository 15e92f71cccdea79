namespace SparsityKit.Sparsity;

/// <summary>How many weights of one parameter tensor a mask keeps.</summary>
public sealed record LayerSparsity(string Name, long Kept, long Total)
{
    public long Pruned => Total - Kept;
    public double Sparsity => Total == 0 ? 0 : (double)Pruned / Total;
    public double Density => 1 - Sparsity;
}
