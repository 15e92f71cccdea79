using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// Scaled dot-product attention with several heads (Vaswani et al. 2017). The query, key, value and output projections
/// (<c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>out_proj</c>) come from the layer factory, so they are prunable and
/// have variational-dropout and L0 versions. Inputs are [batch, length, model]; <see cref="Attend"/> also takes which keys
/// are padding, so that a padded sequence attends as it would alone.
/// </summary>
public sealed class MultiHeadAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> q_proj, k_proj, v_proj, out_proj;
    private readonly long _heads, _headSize;
    private readonly double _dropout;
    private readonly bool _causal;

    /// <param name="causal">Each position attends only to itself and earlier ones (a decoder's self-attention).</param>
    public MultiHeadAttention(ILayerFactory layers, long modelSize, long heads, double dropout = 0, bool causal = false) : base(nameof(MultiHeadAttention))
    {
        if (heads < 1 || modelSize % heads != 0)
            throw new ArgumentException($"The model size {modelSize} must split evenly into {heads} heads.", nameof(heads));
        _heads = heads;
        _headSize = modelSize / heads;
        _dropout = dropout;
        _causal = causal;
        q_proj = layers.Linear(modelSize, modelSize);
        k_proj = layers.Linear(modelSize, modelSize);
        v_proj = layers.Linear(modelSize, modelSize);
        out_proj = layers.Linear(modelSize, modelSize);
        RegisterComponents();
    }

    /// <summary>Attends from <paramref name="query"/> [B, T, D] to <paramref name="memory"/> [B, S, D] (the same tensor for self-attention).</summary>
    public override Tensor forward(Tensor query, Tensor memory) => Attend(query, memory, null);

    /// <summary>As <see cref="forward"/>, attending to no key where <paramref name="padding"/> [B, S] is true.</summary>
    public Tensor Attend(Tensor query, Tensor memory, Tensor? padding)
    {
        using var scope = NewDisposeScope();
        long batch = query.shape[0], targetLength = query.shape[1], sourceLength = memory.shape[1];
        Tensor Heads(Tensor x, long length) => x.view(batch, length, _heads, _headSize).transpose(1, 2);   // [B, H, L, d]
        var q = Heads(q_proj.call(query), targetLength);
        var k = Heads(k_proj.call(memory), sourceLength);
        var v = Heads(v_proj.call(memory), sourceLength);
        using Scalar headScale = Math.Sqrt(_headSize), minusInfinity = double.NegativeInfinity;   // kept alive: see Scalars
        var scores = q.matmul(k.transpose(-2, -1)).div(headScale);                          // [B, H, T, S]
        if (_causal)
        {
            var future = ones(targetLength, sourceLength, dtype: ScalarType.Bool, device: query.device).triu(1);
            scores = scores.masked_fill(future, minusInfinity);
        }
        if (padding is not null) scores = scores.masked_fill(padding.view(batch, 1, 1, sourceLength), minusInfinity);
        var weights = functional.dropout(functional.softmax(scores, -1), _dropout, training);
        var context = weights.matmul(v).transpose(1, 2).reshape(batch, targetLength, _heads * _headSize);
        return out_proj.call(context).MoveToOuterDisposeScope();
    }
}
