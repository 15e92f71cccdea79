using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// The encoder-decoder Transformer (Vaswani et al. 2017) for sequence-to-sequence tasks: one embedding table shared by
/// the source, the target and the output softmax (<c>embedding</c>, prunable like every projection), sinusoidal
/// positions, pre-norm layers with a final layer norm on each side (tensor2tensor's transformer_base). The forward
/// takes token ids, source [B, S] and target [B, T] (the decoder's input, shifted right), and gives logits [B, T, V].
/// </summary>
public sealed class Transformer : Module<Tensor, Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> embedding, encoder_norm, decoder_norm;
    private readonly ModuleList<TransformerEncoderLayer> encoder = new();
    private readonly ModuleList<TransformerDecoderLayer> decoder = new();
    private readonly ISharedEmbedding _shared;

    public Transformer(ILayerFactory layers, TransformerConfig config) : base(nameof(Transformer))
    {
        config.Validate();
        Config = config;
        embedding = layers.Embedding(config.Vocabulary, config.ModelSize);
        _shared = embedding as ISharedEmbedding
            ?? throw new ArgumentException($"The '{layers.Name}' factory's embedding does not implement ISharedEmbedding, which the tied softmax needs.");
        for (int i = 0; i < config.EncoderLayers; i++)
            encoder.Add(new TransformerEncoderLayer(layers, config.ModelSize, config.Heads, config.FeedForwardSize, config.Dropout));
        encoder_norm = LayerNorm(config.ModelSize);
        for (int i = 0; i < config.DecoderLayers; i++)
            decoder.Add(new TransformerDecoderLayer(layers, config.ModelSize, config.Heads, config.FeedForwardSize, config.Dropout));
        decoder_norm = LayerNorm(config.ModelSize);
        RegisterComponents();
    }

    public TransformerConfig Config { get; }

    public override Tensor forward(Tensor source, Tensor target)
    {
        using var scope = NewDisposeScope();
        // No position attends to the source's padding, so a pair predicts the same however long its batch's longest source.
        // (The target's padding comes after its tokens, which the causal mask keeps from seeing it.)
        var padding = source.eq(Data.Vocabulary.Pad);
        var memory = Embed(source);
        foreach (var layer in encoder) memory = layer.Encode(memory, padding);
        memory = encoder_norm.call(memory);
        var x = Embed(target);
        foreach (var layer in decoder) x = layer.Decode(x, memory, padding);
        return _shared.Logits(decoder_norm.call(x)).MoveToOuterDisposeScope();
    }

    // Rows scaled by sqrt(model size), plus sinusoidal positions, then dropout (Vaswani et al., sections 3.4, 3.5, 5.4).
    private Tensor Embed(Tensor tokens)
    {
        using Scalar scale = Math.Sqrt(Config.ModelSize);   // kept alive: see Scalars
        var x = embedding.call(tokens).mul(scale);
        x = x.add(SinusoidalPositions(tokens.shape[1], Config.ModelSize, x.device), Scalars.One);
        return functional.dropout(x, Config.Dropout, training);
    }

    /// <summary>PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...): [length, size].</summary>
    public static Tensor SinusoidalPositions(long length, long size, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var position = arange(length, dtype: ScalarType.Float32).unsqueeze(1);
        var frequency = exp(arange(0, size, 2, dtype: ScalarType.Float32).mul(-Math.Log(10_000.0) / size));
        var angles = position.mul(frequency);                                   // [length, size / 2]
        var table = stack([angles.sin(), angles.cos()], dim: 2).view(length, -1)[.., ..(int)size];
        return table.to(device ?? CPU).MoveToOuterDisposeScope();
    }
}
