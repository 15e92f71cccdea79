namespace SparsityKit.Sparsity;

/// <summary>
/// How many weights to have pruned after a pruning event, counting those already pruned: either a count
/// per layer (layerwise scope) or one count over all layers (global scope, one threshold across layers).
/// </summary>
public sealed record PruneTargets
{
    private PruneTargets(IReadOnlyDictionary<string, long>? perLayer, long? global)
    {
        PerLayer = perLayer;
        Global = global;
    }

    public IReadOnlyDictionary<string, long>? PerLayer { get; }
    public long? Global { get; }

    public static PruneTargets Layerwise(IReadOnlyDictionary<string, long> perLayer) => new(perLayer, null);
    public static PruneTargets AcrossLayers(long total) => new(null, total);
}
