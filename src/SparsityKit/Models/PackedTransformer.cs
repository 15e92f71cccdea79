using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// A <see cref="Transformer"/> as a classifier of tokens, for the trainer: it takes the packed pairs of
/// <see cref="PackedSequencePairs"/> [B, 2, L] (source; decoder input) and gives logits [B, V, L], classes in dimension 1
/// as cross-entropy takes them for sequences. Every method of the trainer (masks, gradual pruning, variational dropout,
/// L0, lottery tickets, scratch) then runs on the Transformer; its parameters are the Transformer's under
/// <c>transformer.</c>.
/// </summary>
public sealed class PackedTransformer : Module<Tensor, Tensor>
{
    private readonly Transformer transformer;

    public PackedTransformer(Transformer transformer) : base(nameof(PackedTransformer))
    {
        this.transformer = transformer;
        RegisterComponents();
    }

    /// <summary>The wrapped model, for calls on unpacked token tensors.</summary>
    public Transformer Transformer => transformer;

    public override Tensor forward(Tensor packed)
    {
        if (packed.dim() != 3 || packed.shape[1] != 2)
            throw new ArgumentException($"A PackedTransformer takes packed sequence pairs [batch, 2, length] (PackedSequencePairs.ToDataset), " +
                $"not [{string.Join(", ", packed.shape)}].", nameof(packed));
        using var scope = NewDisposeScope();
        var tokens = packed.to(ScalarType.Int64);   // a zero input (FLOP counting) is all <pad>
        return transformer.call(tokens.select(1, 0), tokens.select(1, 1)).permute(0, 2, 1).MoveToOuterDisposeScope();
    }
}
