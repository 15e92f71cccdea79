namespace SparsityKit.Models;

/// <summary>The sizes of an encoder-decoder <see cref="Transformer"/>.</summary>
public sealed record TransformerConfig
{
    /// <summary>
    /// Vaswani et al.'s (and tensor2tensor's) transformer_base, the model Gale et al. prune: model size 512, 8 heads,
    /// feed-forward 2048, 6 encoder and 6 decoder layers, dropout 0.1. The vocabulary, 33,708 subwords, is tensor2tensor's
    /// shared English-German wmt32k vocabulary; change it to yours.
    /// </summary>
    public static TransformerConfig Base { get; } = new();

    /// <summary>A configuration of our own for CPU experiments (not from a paper): 256, 4 heads, 1024, 3 + 3 layers, 8,192 tokens.</summary>
    public static TransformerConfig Small { get; } = new()
    {
        ModelSize = 256, Heads = 4, FeedForwardSize = 1024, EncoderLayers = 3, DecoderLayers = 3, Vocabulary = 8_192,
    };

    public long ModelSize { get; init; } = 512;
    public long Heads { get; init; } = 8;
    public long FeedForwardSize { get; init; } = 2048;
    public int EncoderLayers { get; init; } = 6;
    public int DecoderLayers { get; init; } = 6;
    /// <summary>Tokens in the vocabulary shared by source, target and output.</summary>
    public long Vocabulary { get; init; } = 33_708;
    public double Dropout { get; init; } = 0.1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid size.</summary>
    public void Validate()
    {
        if (ModelSize < 1 || Heads < 1 || ModelSize % Heads != 0)
            throw new ArgumentException($"ModelSize ({ModelSize}) must be a positive multiple of Heads ({Heads}).");
        if (FeedForwardSize < 1) throw new ArgumentException($"FeedForwardSize must be positive, not {FeedForwardSize}.");
        if (EncoderLayers < 1 || DecoderLayers < 1) throw new ArgumentException("The Transformer needs at least one encoder and one decoder layer.");
        if (Vocabulary < 2) throw new ArgumentException($"Vocabulary must hold at least two tokens, not {Vocabulary}.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"Dropout must lie in [0, 1), not {Dropout}.");
    }
}
