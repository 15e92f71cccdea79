using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>What one training of a catalog method ended with.</summary>
/// <param name="Method">The sweep method's name, settings included.</param>
/// <param name="Sparsity">Achieved fraction of the prunable weights pruned (0 for dense).</param>
public sealed record CatalogResult(string Method, double Sparsity, double TestAccuracy, TimeSpan Elapsed)
{
    /// <summary>The trained model (masked), for a look after training such as compaction.</summary>
    public TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>? Model { get; init; }

    /// <summary>The masks it ended with (null for dense).</summary>
    public Sparsity.MaskSet? Masks { get; init; }

    /// <summary>Whether the batch norms' running statistics were recomputed before measuring (a method measured after training, on a model with batch norm).</summary>
    public bool BatchNormRecomputed { get; init; }

    /// <summary>The one line the command line ends with.</summary>
    public override string ToString() => $"{Method}: sparsity {Sparsity:P2}, test accuracy {TestAccuracy:P2} ({Elapsed.TotalSeconds:F1} s)";
}

/// <summary>Trains one catalog method once, as the command line's <c>--method</c> does (and a test can, without a process).</summary>
public static class CatalogRun
{
    /// <summary>
    /// Trains the named method on <paramref name="data"/> (whole tensors or a stream) for <paramref name="config"/>'s steps at
    /// <paramref name="sparsity"/> (LeNet-300-100 unless the options name another architecture). A method measured after
    /// training (variational dropout) is set to the target and evaluated there, on a model with batch norm after its
    /// statistics are recomputed from <see cref="BatchNormBatches"/> training batches: training gathered them with the
    /// method's noise, which evaluation does not have (worth 6 to 10 points on ResNet-20, notebook 07).
    /// </summary>
    public static CatalogResult Train(string name, IDataSource data, TrainConfig config, double sparsity, long seed,
        CatalogOptions? options = null, IProgress<TrainingProgress>? progress = null)
    {
        options = (options ?? new CatalogOptions()) with { Device = options?.Device ?? data.Device };
        var method = MethodCatalog.Create(name, config, options);
        var architecture = options.Architecture ?? ((s, layers) => Zoo.LeNet300_100(s, layers, options.Device));
        ModelFactory model = method.Model ?? (s => architecture(s, DenseLayers.Default));
        var hook = method.Create(method.AtSparsity is null ? sparsity : double.NaN, seed);
        var run = Trainer.Train(model(seed), data, config with { DataSeed = seed }, hook, progress, method.Name);
        if (method.AtSparsity is null)
            return new CatalogResult(method.Name, hook.Masks?.Sparsity ?? 0, run.TestAccuracy, run.Elapsed) { Model = run.Model, Masks = hook.Masks };

        var masks = method.AtSparsity(run.Model, sparsity);
        // On the convolution backend training chose for this model (oneDNN where it is right): much faster than the
        // process-wide choice for a ResNet's test set.
        using var backend = ConvolutionBackend.ForModel(run.Model, data);
        bool recompute = BatchNormStatistics.Applies(run.Model);
        if (recompute)
        {
            using var batches = data.TrainingBatches(config.BatchSize, seed);
            BatchNormStatistics.Recompute(run.Model, batches, BatchNormBatches);
        }
        var test = data is Dataset tensors
            ? Evaluation.Measure(run.Model, tensors.TestImages, tensors.TestLabels, config.EvaluationBatchSize)
            : Evaluation.Measure(run.Model, data.TestBatches(config.EvaluationBatchSize));
        return new CatalogResult(method.Name, masks.Sparsity, test.Accuracy, run.Elapsed) { Model = run.Model, Masks = masks, BatchNormRecomputed = recompute };
    }

    /// <summary>Training batches the batch norms' statistics are recomputed from (as notebook 07 does).</summary>
    public const int BatchNormBatches = 100;
}
