namespace SparsityKit.Inference;

/// <summary>How a batch is laid out in panels: <c>Panels</c> panels of <c>Width</c> examples (the last padded with zeros).</summary>
public readonly record struct PanelLayout(long Batch, long Panels, long Width)
{
    public static PanelLayout For(long batch)
    {
        var (panels, width) = SparseKernel.Panels(batch);
        return new(batch, panels, width);
    }
}
