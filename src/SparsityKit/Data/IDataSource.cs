using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// What the training loop needs of a classification data set, whether it is held as whole tensors (<see cref="Dataset"/>)
/// or streamed from files (<see cref="ImageFolder"/>): its training batches, a fixed probe of training examples (for
/// the divergence check) and its test and validation sets in batches.
/// </summary>
public interface IDataSource
{
    string Name { get; }
    Device Device { get; }

    /// <summary>The shape of one input: [channels, height, width].</summary>
    long[] ImageShape { get; }

    int ClassCount { get; }

    /// <summary>Training examples (one epoch).</summary>
    long TrainCount { get; }

    /// <summary>
    /// A stream of training batches in a seeded order (a fresh permutation each epoch; an incomplete last batch is
    /// dropped), augmented on the device when <paramref name="augmentation"/> is given.
    /// </summary>
    IBatchStream TrainingBatches(int batchSize, long seed, Augmentation? augmentation = null);

    /// <summary>The first <paramref name="count"/> training examples (or all, if fewer), unaugmented; the caller disposes them.</summary>
    (Tensor Inputs, Tensor Labels) TrainingProbe(long count);

    /// <summary>The test set in batches of at most <paramref name="batchSize"/>, in a fixed order.</summary>
    IEnumerable<(Tensor Inputs, Tensor Labels)> TestBatches(int batchSize);

    /// <summary>The validation set in batches, or null when there is none.</summary>
    IEnumerable<(Tensor Inputs, Tensor Labels)>? ValidationBatches(int batchSize);
}
