using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// A run's training batches, one after another, on the data's device: drawn from whole tensors
/// (<see cref="SampledBatches"/>) or decoded from files as they are needed (<see cref="ImageFolderBatches"/>). The training
/// loop takes the next batch and does not know which. Its position can be saved in a checkpoint and restored, so that
/// a resumed run draws the batches an uninterrupted run would.
/// </summary>
public interface IBatchStream : IDisposable
{
    /// <summary>The next batch: inputs [B, ...] and int64 labels [B]. Both belong to the caller's dispose scope.</summary>
    (Tensor Inputs, Tensor Labels) Next();

    /// <summary>The stream's position as named tensors, for a checkpoint.</summary>
    IEnumerable<KeyValuePair<string, Tensor>> State();

    /// <summary>Continues from <see cref="State"/>'s position.</summary>
    void Restore(IReadOnlyDictionary<string, Tensor> state);
}
