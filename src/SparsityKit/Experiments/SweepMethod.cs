using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>
/// One method of a sweep: how to make its training hook for a target sparsity and seed, and (for methods that
/// need special layers, like variational dropout or L0) how to build its model.
/// </summary>
/// <param name="Name">The method's name in records and charts ("magnitude", "random", "variational dropout", "L0").</param>
/// <param name="Create">The training method for (target sparsity, seed).</param>
/// <param name="Model">The model for a seed; null for the sweep's default model.</param>
public sealed record SweepMethod(string Name, Func<double, long, TrainingMethod> Create, ModelFactory? Model = null)
{
    /// <summary>
    /// For a method whose training does not depend on the target (variational dropout reaches a target by moving its
    /// log-alpha threshold after training): sets a trained model to a target sparsity and returns its masks. The sweep
    /// then trains once per seed, calling <see cref="Create"/> with a target of NaN, and measures every target from that
    /// one training, as Gale et al. sweep the threshold.
    /// </summary>
    public Func<nn.Module<Tensor, Tensor>, double, MaskSet>? AtSparsity { get; init; }

    /// <summary>
    /// For a method measured at every target (<see cref="AtSparsity"/>): recompute the batch norms' statistics from this
    /// many training batches of the network as evaluated at each target, before measuring it
    /// (<see cref="Training.BatchNormStatistics"/>); 0 keeps the statistics training gathered. Variational dropout gathers
    /// them on noisy pre-activations and evaluates without noise. Part of the runs' keys when set.
    /// </summary>
    public int RecomputeBatchNormBatches { get; init; }

    /// <summary>The method's settings in words (distribution, schedule, criterion); the catalog puts them in <see cref="Name"/> too, so they key its runs.</summary>
    public string Settings { get; init; } = "";
}
