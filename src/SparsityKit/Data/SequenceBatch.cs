using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// A padded batch of sequence pairs for an encoder-decoder model: <see cref="Source"/> [B, S] (the source and &lt;eos&gt;),
/// <see cref="DecoderInput"/> [B, T] (&lt;bos&gt; and the target: the target shifted right) and <see cref="DecoderTarget"/>
/// [B, T] (the target and &lt;eos&gt;), int64, padded with &lt;pad&gt; to the longest of the batch.
/// </summary>
public sealed record SequenceBatch(Tensor Source, Tensor DecoderInput, Tensor DecoderTarget) : IDisposable
{
    /// <summary>Mean cross-entropy of logits [B, T, V] over the target tokens that are not padding.</summary>
    public Tensor Loss(Tensor logits, double labelSmoothing = 0) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), DecoderTarget.reshape(-1),
            ignore_index: Vocabulary.Pad, label_smoothing: labelSmoothing);

    /// <summary>The fraction of non-padding target tokens whose most likely token is right (teacher forcing).</summary>
    public double TokenAccuracy(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var real = DecoderTarget.ne(Vocabulary.Pad);
        var right = logits.argmax(-1).eq(DecoderTarget).logical_and(real);
        return right.sum().item<long>() / (double)real.sum().item<long>();
    }

    public void Dispose()
    {
        Source.Dispose();
        DecoderInput.Dispose();
        DecoderTarget.Dispose();
    }
}
