using System.Diagnostics;
using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>The training loop every experiment in SparsityKit runs on.</summary>
public static class Trainer
{
    /// <summary>
    /// Makes the progress reporter used when <see cref="Train"/> is given none. Null by default (silent);
    /// the notebook integration sets it to a live progress bar, console programs to <see cref="ConsoleProgress"/>.
    /// </summary>
    public static Func<IProgress<TrainingProgress>?> DefaultProgress { get; set; } = () => null;

    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="data"/> with cross-entropy loss.
    /// Each step runs in its own dispose scope, batches are gathered from the whole data tensors, and a
    /// <paramref name="method"/> (pruning, variational dropout, L0) hooks in without the loop knowing which.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; the history so far is kept in the exception.</exception>
    public static TrainingRun Train(nn.Module<Tensor, Tensor> model, Dataset data, TrainConfig config,
        TrainingMethod? method = null, IProgress<TrainingProgress>? progress = null, string? name = null)
    {
        config.Validate();
        progress ??= DefaultProgress();
        name ??= method?.Name ?? "dense";
        var device = data.Device;
        var parameters = model.named_parameters().Where(np => np.parameter.requires_grad).ToList();
        if (parameters.Count > 0 && parameters[0].parameter.device.type != device.type)
            throw new ArgumentException($"The model is on {parameters[0].parameter.device} but the data is on {device}: move one of them (Zoo.* and Datasets.* take a device).");

        using var optimizer = config.Optimizer.Create(parameters);
        using var sampler = new BatchSampler(data.TrainCount, config.BatchSize, config.DataSeed, device);
        var context = new TrainingContext(model, optimizer, data, config);
        var history = new List<HistoryRow>();
        var snapshots = new Dictionary<long, WeightSnapshot>();
        var snapshotSteps = config.SnapshotSteps.ToHashSet();
        double baseRate = config.Optimizer.LearningRate;
        var clock = Stopwatch.StartNew();

        if (snapshotSteps.Contains(0)) snapshots[0] = WeightSnapshot.Capture(model, 0);
        method?.OnStart(context);
        model.train();

        // The loss is summed on the device and read once per report, so no step waits on a transfer.
        using var lossSum = zeros(1, device: device);
        long lossCount = 0;
        double lastReportedLoss = double.NaN;
        double? lastAccuracy = null;

        for (long step = 0; step < config.Steps; step++)
        {
            if (!config.Schedule.IsConstant) optimizer.LearningRate = baseRate * config.Schedule.Factor(step, config.Steps);
            using (NewDisposeScope())
            {
                var batch = sampler.Next();
                var logits = model.call(data.TrainImages.index_select(0, batch));
                var loss = nn.functional.cross_entropy(logits, data.TrainLabels.index_select(0, batch));
                if (method?.LossTerm(context) is { } extra) loss = loss + extra;
                optimizer.ZeroGrad();
                loss.backward();
                method?.BeforeStep(context);
                optimizer.Step();
                context.Step = step + 1;
                method?.AfterStep(context);
                lossSum.add_(loss.detach());
                lossCount++;
            }

            long done = step + 1;
            if (snapshotSteps.Contains(done)) snapshots[done] = WeightSnapshot.Capture(model, done);
            bool evaluate = done == config.Steps || (config.EvaluateEvery > 0 && done % config.EvaluateEvery == 0);
            bool report = evaluate || done % config.ReportEvery == 0;
            if (!report) continue;

            lastReportedLoss = lossSum.item<float>() / lossCount;
            using (NewDisposeScope()) lossSum.zero_();
            lossCount = 0;
            if (!double.IsFinite(lastReportedLoss))
                throw new TrainingDivergedException(
                    $"{name}: the training loss became {lastReportedLoss} between steps {done - config.ReportEvery} and {done}. " +
                    $"Lower the learning rate ({baseRate}) or check the data for NaN/Inf; the {history.Count} evaluations so far are in History.",
                    history.ToList(), done);
            if (evaluate)
            {
                if (done == config.Steps) method?.OnEnd(context);
                var row = EvaluateRow(model, data, config, done, lastReportedLoss);
                history.Add(row);
                lastAccuracy = row.TestAccuracy;
            }
            progress?.Report(new TrainingProgress(name, done, config.Steps, lastReportedLoss, lastAccuracy, clock.Elapsed));
        }

        if (config.Steps == 0)
        {
            method?.OnEnd(context);
            history.Add(EvaluateRow(model, data, config, 0, double.NaN));
        }
        return new TrainingRun(name, model, config, method, history, snapshots, clock.Elapsed);
    }

    private static HistoryRow EvaluateRow(nn.Module<Tensor, Tensor> model, Dataset data, TrainConfig config, long step, double trainLoss)
    {
        var (testLoss, testAccuracy) = Evaluation.Evaluate(model, data.TestImages, data.TestLabels, config.EvaluationBatchSize);
        if (data.ValidationImages is null || data.ValidationLabels is null)
            return new HistoryRow(step, trainLoss, testLoss, testAccuracy);
        var (validationLoss, validationAccuracy) = Evaluation.Evaluate(model, data.ValidationImages, data.ValidationLabels, config.EvaluationBatchSize);
        return new HistoryRow(step, trainLoss, testLoss, testAccuracy, validationLoss, validationAccuracy);
    }
}
