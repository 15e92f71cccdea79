using static TorchSharp.torch;

namespace SparsityKit.Tests;

internal static class TensorComparison
{
    /// <summary>Same shape and every element equal, as a tensor holding one bool (so tests can call .item&lt;bool&gt;()).</summary>
    public static Tensor IsSameAs(this Tensor a, Tensor b) =>
        tensor(a.shape.SequenceEqual(b.shape) && a.eq(b.to(a.device)).all().item<bool>());
}
