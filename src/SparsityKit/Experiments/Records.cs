using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>Makes <see cref="RunRecord"/>s from training runs, so every method is measured the same way.</summary>
public static class Records
{
    /// <summary>
    /// A record of <paramref name="run"/>: sparsity from <paramref name="masks"/> (or the method's masks, or dense),
    /// accuracy at the end and at the early-stopping step, FLOPs and compression from <see cref="SparsityReport"/>.
    /// </summary>
    public static RunRecord From(TrainingRun run, string experiment, string kind, long seed, long[] inputShape,
        MaskSet? masks = null, int round = 0, double? targetSparsity = null, string config = "")
    {
        var early = run.EarlyStopping;
        var record = new RunRecord
        {
            Experiment = experiment,
            Kind = kind,
            Seed = seed,
            Round = round,
            TargetSparsity = targetSparsity,
            Sparsity = 0,   // with the other sparsity figures, from the masks below
            TestAccuracy = run.Final.TestAccuracy,
            TestLoss = run.Final.TestLoss,
            TestTop5Accuracy = run.Final.TestTop5Accuracy,
            EarlyStopStep = early.Step,
            EarlyStopTestAccuracy = early.TestAccuracy,
            Steps = run.Config.Steps,
            WallSeconds = run.Elapsed.TotalSeconds,
            Config = config,
            Threads = torch.get_num_threads(),
            Machine = Machine.Describe(run.Model.parameters().FirstOrDefault()?.device ?? CPU),
        };
        return WithSparsityOf(record, run.Model, inputShape, masks ?? run.Method?.Masks);
    }

    /// <summary>
    /// The record with its sparsity figures (overall, per layer, FLOPs, compression; <see cref="SparsityReport"/>) those of
    /// <paramref name="model"/> under <paramref name="masks"/> (dense when null).
    /// </summary>
    public static RunRecord WithSparsityOf(RunRecord record, nn.Module<Tensor, Tensor> model, long[] inputShape, MaskSet? masks)
    {
        var report = SparsityReport.Of(model, inputShape, masks);
        return record with
        {
            Sparsity = report.Sparsity,
            LayerSparsity = report.Layers.ToDictionary(l => l.Name, l => l.Sparsity),
            DenseFlops = report.DenseFlops,
            SparseFlops = report.SparseFlops,
            CompressionRatio = report.CompressionRatio,
        };
    }
}
