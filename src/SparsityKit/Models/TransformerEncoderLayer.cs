using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// A Transformer encoder layer in the pre-norm order of tensor2tensor's transformer_base (the implementation Gale et al.
/// prune) and of ViT: x + attention(norm(x)), then x + feed-forward(norm(x)), with dropout on each residual branch.
/// </summary>
public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> norm1, norm2, fc1, fc2;
    private readonly MultiHeadAttention self_attn;
    private readonly double _dropout;
    private readonly bool _gelu;

    /// <param name="gelu">GELU in the feed-forward layer (ViT) instead of ReLU (the Transformer).</param>
    public TransformerEncoderLayer(ILayerFactory layers, long modelSize, long heads, long feedForwardSize, double dropout, bool gelu = false)
        : base(nameof(TransformerEncoderLayer))
    {
        norm1 = LayerNorm(modelSize);
        self_attn = new MultiHeadAttention(layers, modelSize, heads, dropout);
        norm2 = LayerNorm(modelSize);
        fc1 = layers.Linear(modelSize, feedForwardSize);
        fc2 = layers.Linear(feedForwardSize, modelSize);
        _dropout = dropout;
        _gelu = gelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => Encode(input, null);

    /// <summary>As <see cref="forward"/>, with the positions where <paramref name="padding"/> [B, L] is true left unattended.</summary>
    public Tensor Encode(Tensor input, Tensor? padding)
    {
        using var scope = NewDisposeScope();
        var normed = norm1.call(input);
        var x = input.add(functional.dropout(self_attn.Attend(normed, normed, padding), _dropout, training), Scalars.One);
        var hidden = fc1.call(norm2.call(x));
        hidden = _gelu ? functional.gelu(hidden) : functional.relu(hidden);
        return x.add(functional.dropout(fc2.call(hidden), _dropout, training), Scalars.One).MoveToOuterDisposeScope();
    }
}
