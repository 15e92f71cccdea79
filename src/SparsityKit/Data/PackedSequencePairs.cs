using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// Sequence pairs as a <see cref="Dataset"/>, so that the trainer, its methods and the run store take a Transformer as they
/// take an image model: each example is one int64 tensor [2, L] (row 0 the source and &lt;eos&gt;, row 1 &lt;bos&gt; and the
/// target: the decoder's input), padded with &lt;pad&gt; to the longest sequence of the set, and its label the target and
/// &lt;eos&gt; [L], padded with <see cref="IgnoredLabel"/>, which the loss and the accuracies skip. Train it with a model that
/// takes this packing (<see cref="Models.PackedTransformer"/>).
/// </summary>
public static class PackedSequencePairs
{
    /// <summary>The label of a padding position: cross-entropy's default ignore index, not counted in accuracy.</summary>
    public const long IgnoredLabel = -100;

    /// <summary>Packs the training and test pairs (one length for both, so that every batch has one shape).</summary>
    public static Dataset ToDataset(this SequencePairs pairs, Device? device = null)
    {
        int length = Length(pairs);
        var (trainInputs, trainLabels) = Pack(pairs.Train, length);
        var (testInputs, testLabels) = Pack(pairs.Test, length);
        var dataset = new Dataset(pairs.Name, trainInputs, trainLabels, testInputs, testLabels, pairs.Vocabulary.Count);
        if (Devices.Resolve(device).type == DeviceType.CPU) return dataset;
        using (dataset) return dataset.To(Devices.Resolve(device));
    }

    /// <summary>L: the longest source or target of the set, plus its &lt;eos&gt; (or &lt;bos&gt;).</summary>
    public static int Length(SequencePairs pairs) => pairs.Train.Concat(pairs.Test).Max(p => Math.Max(p.Source.Length, p.Target.Length) + 1);

    private static (Tensor Inputs, Tensor Labels) Pack(IReadOnlyList<(int[] Source, int[] Target)> pairs, int length)
    {
        var inputs = new long[pairs.Count * 2 * length];   // zeros: <pad>
        var labels = new long[pairs.Count * length];
        Array.Fill(labels, IgnoredLabel);
        for (int i = 0; i < pairs.Count; i++)
        {
            var (source, target) = pairs[i];
            long sourceRow = i * 2L * length, decoderRow = sourceRow + length, labelRow = (long)i * length;
            for (int t = 0; t < source.Length; t++) inputs[sourceRow + t] = source[t];
            inputs[sourceRow + source.Length] = Vocabulary.Eos;
            inputs[decoderRow] = Vocabulary.Bos;
            for (int t = 0; t < target.Length; t++)
            {
                inputs[decoderRow + t + 1] = target[t];
                labels[labelRow + t] = target[t];
            }
            labels[labelRow + target.Length] = Vocabulary.Eos;
        }
        return (tensor(inputs, [pairs.Count, 2, length]), tensor(labels, [pairs.Count, length]));
    }
}
