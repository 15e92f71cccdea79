namespace SparsityKit;

/// <summary>How <see cref="TensorFile"/> stores a tensor's values.</summary>
public enum TensorEncoding : byte
{
    /// <summary>Little-endian float32, four bytes a value: any tensor.</summary>
    Float32 = 0,

    /// <summary>One bit a value, lowest bit first: only tensors of exact 0s and 1s (masks), 32 times smaller.</summary>
    Bits = 1,
}
