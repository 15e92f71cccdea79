using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// The shape of one input example a model takes, so that data of another shape is rejected with both shapes named
/// before libtorch reports a matrix-size mismatch from deep inside the forward pass.
/// </summary>
/// <param name="Example">One example's shape, e.g. [1, 28, 28].</param>
/// <param name="AnyShapeOfThisSize">Whether any shape with as many values fits (a model that flattens its input).</param>
public sealed record InputShape(IReadOnlyList<long> Example, bool AnyShapeOfThisSize = false)
{
    /// <summary>Values per example.</summary>
    public long Size => Example.Aggregate(1L, (a, b) => a * b);

    public bool Accepts(IReadOnlyList<long> example) =>
        AnyShapeOfThisSize ? example.Aggregate(1L, (a, b) => a * b) == Size : example.SequenceEqual(Example);

    public override string ToString() => AnyShapeOfThisSize
        ? $"examples of {Size} values (any shape, flattened; [{string.Join(", ", Example)}])"
        : $"examples of shape [{string.Join(", ", Example)}]";

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="model"/> declares its input (<see cref="IHasInputShape"/>)
    /// and examples of shape <paramref name="example"/> do not fit it; <paramref name="source"/> says where they came from.
    /// </summary>
    public static void Check(nn.Module model, IReadOnlyList<long> example, string source)
    {
        if (model is not IHasInputShape { InputShape: var expected } || expected.Accepts(example)) return;
        long size = example.Aggregate(1L, (a, b) => a * b);
        throw new ArgumentException($"{model.GetName()} takes {expected}, but {source} has examples of shape [{string.Join(", ", example)}] " +
            $"({size} values). Build the model for this input size, or give it data of the shape it takes.");
    }
}
