using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// A Transformer decoder layer, pre-norm as <see cref="TransformerEncoderLayer"/>: causal self-attention, attention to
/// the encoder's output, and the feed-forward layer, each on the normalised input and added back.
/// </summary>
public sealed class TransformerDecoderLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> norm1, norm2, norm3, fc1, fc2;
    private readonly MultiHeadAttention self_attn, cross_attn;
    private readonly double _dropout;

    public TransformerDecoderLayer(ILayerFactory layers, long modelSize, long heads, long feedForwardSize, double dropout)
        : base(nameof(TransformerDecoderLayer))
    {
        norm1 = LayerNorm(modelSize);
        self_attn = new MultiHeadAttention(layers, modelSize, heads, dropout, causal: true);
        norm2 = LayerNorm(modelSize);
        cross_attn = new MultiHeadAttention(layers, modelSize, heads, dropout);
        norm3 = LayerNorm(modelSize);
        fc1 = layers.Linear(modelSize, feedForwardSize);
        fc2 = layers.Linear(feedForwardSize, modelSize);
        _dropout = dropout;
        RegisterComponents();
    }

    /// <summary>Decodes <paramref name="target"/> [B, T, D] attending to the encoder's <paramref name="memory"/> [B, S, D].</summary>
    public override Tensor forward(Tensor target, Tensor memory) => Decode(target, memory, null);

    /// <summary>As <see cref="forward"/>, attending to no source position where <paramref name="sourcePadding"/> [B, S] is true.</summary>
    public Tensor Decode(Tensor target, Tensor memory, Tensor? sourcePadding)
    {
        using var scope = NewDisposeScope();
        var normed = norm1.call(target);
        var x = target.add(functional.dropout(self_attn.call(normed, normed), _dropout, training), Scalars.One);
        x = x.add(functional.dropout(cross_attn.Attend(norm2.call(x), memory, sourcePadding), _dropout, training), Scalars.One);
        var hidden = functional.relu(fc1.call(norm3.call(x)));
        return x.add(functional.dropout(fc2.call(hidden), _dropout, training), Scalars.One).MoveToOuterDisposeScope();
    }
}
