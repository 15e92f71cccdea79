namespace SparsityKit.Data;

/// <summary>The contents of an IDX file of unsigned bytes: the values in row-major order and the shape.</summary>
public sealed record IdxArray(byte[] Values, int[] Shape)
{
    /// <summary>The number of items along the first dimension (images or labels).</summary>
    public int Count => Shape[0];
}
