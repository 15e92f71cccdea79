using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// A token embedding with a hard-concrete gate on every entry of its table (<c>weight</c>, [vocabulary, dimension]),
/// which is also the output layer. The lookup and <see cref="Logits"/> each draw their own gates in training.
/// </summary>
public sealed class L0Embedding : L0Layer, ISharedEmbedding
{
    public L0Embedding(long vocabulary, long dimension, L0Layers settings)
        : base(nameof(L0Embedding), [vocabulary, dimension], hasBias: false, settings)
    {
        DenseEmbedding.Initialise(Weight);
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return DenseEmbedding.Lookup(Weight.mul(Gates()), tokens).MoveToOuterDisposeScope();
    }

    public Tensor Logits(Tensor hidden) => base.forward(hidden);

    protected override Tensor Apply(Tensor input, Tensor weight, Tensor? bias) => nn.functional.linear(input, weight, bias);
}
