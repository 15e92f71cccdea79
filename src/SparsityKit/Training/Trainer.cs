using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Models;
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
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite, or grew far above chance level (see
    /// <see cref="DivergenceCheck"/>); the history so far, ending with a row at the divergence, is kept in the exception.</exception>
    /// <param name="checkpoint">
    /// A file for the run's checkpoints (<see cref="TrainConfig.CheckpointEvery"/>): if it exists, training resumes from
    /// it; the caller deletes it once the run's result is safe (a <see cref="Experiments.RunStore"/> does).
    /// </param>
    /// <param name="data">Whole tensors (a <see cref="Dataset"/>) or a stream (<see cref="ImageFolder"/>); the loop does not care which.</param>
    public static TrainingRun Train(nn.Module<Tensor, Tensor> model, IDataSource data, TrainConfig config,
        TrainingMethod? method = null, IProgress<TrainingProgress>? progress = null, string? name = null, string? checkpoint = null)
    {
        progress ??= DefaultProgress();
        name ??= method?.Name ?? "dense";
        InputShape.Check(model, data.ImageShape, $"the data set '{data.Name}'");
        using var session = new TrainingSession(model, data, config, method);
        var history = new List<HistoryRow>();
        var snapshots = new Dictionary<long, WeightSnapshot>();
        var snapshotSteps = config.SnapshotSteps.ToHashSet();
        var clock = Stopwatch.StartNew();
        var before = TimeSpan.Zero;   // time spent before the checkpoint this run resumed from

        if (snapshotSteps.Contains(0)) snapshots[0] = WeightSnapshot.Capture(model, 0);
        session.Start();
        using var divergence = config.Steps > 0 ? new DivergenceCheck(model, data) : null;
        double lastReportedLoss = double.NaN;
        double? lastAccuracy = null;
        int checkpointEvery = checkpoint is null ? 0 : config.CheckpointInterval;
        if (checkpointEvery > 0 && TrainingCheckpoint.TryLoad(checkpoint!, session, message => Console.Error.WriteLine($"warning: {message}")) is { } resumed)
        {
            foreach (var s in snapshots.Values) s.Dispose();
            (history, snapshots, before, lastReportedLoss, lastAccuracy) = (resumed.History, resumed.Snapshots, resumed.Elapsed, resumed.LastLoss, resumed.LastAccuracy);
            Console.Error.WriteLine($"{name}: resuming from its checkpoint at step {session.StepsDone} of {config.Steps} ({checkpoint})");
        }

        while (session.StepsDone < config.Steps)
        {
            session.Step();
            long done = session.StepsDone;
            if (snapshotSteps.Contains(done)) snapshots[done] = WeightSnapshot.Capture(model, done);
            bool evaluate = done == config.Steps || (config.EvaluateEvery > 0 && done % config.EvaluateEvery == 0);
            bool report = evaluate || done % config.ReportEvery == 0;
            if (!report)
            {
                SaveCheckpointIfDue(done);
                continue;
            }

            lastReportedLoss = session.TakeMeanLoss();
            string? diverged = !double.IsFinite(lastReportedLoss)
                ? $"the training loss became {lastReportedLoss} between steps {done - config.ReportEvery} and {done}"
                : divergence!.Diverged(lastReportedLoss, done == config.Steps) ? divergence.Explain(lastReportedLoss, done) : null;
            if (diverged is not null)
            {
                // Evaluated before throwing, so the history shows the divergence, not only the evaluations before it.
                history.Add(EvaluateRow(model, data, config, done, lastReportedLoss));
                throw new TrainingDivergedException(
                    $"{name}: the run diverged: {diverged}. Lower the learning rate ({config.Optimizer.LearningRate}) or check the data " +
                    $"for NaN/Inf. History holds the evaluations so far ({history.Count}), the last at step {done}.",
                    history.ToList(), done);
            }
            if (evaluate)
            {
                if (done == config.Steps) method?.OnEnd(session.Context);
                var row = EvaluateRow(model, data, config, done, lastReportedLoss);
                history.Add(row);
                lastAccuracy = row.TestAccuracy;
            }
            progress?.Report(new TrainingProgress(name, done, config.Steps, lastReportedLoss, lastAccuracy, before + clock.Elapsed));
            SaveCheckpointIfDue(done);
        }

        if (config.Steps == 0)
        {
            method?.OnEnd(session.Context);
            history.Add(EvaluateRow(model, data, config, 0, double.NaN));
        }
        return new TrainingRun(name, model, config, method, history, snapshots, before + clock.Elapsed);

        // After the step's report, if any, so the checkpoint holds the history and running loss as they now stand.
        void SaveCheckpointIfDue(long done)
        {
            if (checkpointEvery > 0 && done % checkpointEvery == 0 && done < config.Steps)
                TrainingCheckpoint.Save(checkpoint!, session, new(history, snapshots, before + clock.Elapsed, lastReportedLoss, lastAccuracy));
        }
    }

    private static HistoryRow EvaluateRow(nn.Module<Tensor, Tensor> model, IDataSource source, TrainConfig config, long step, double trainLoss)
    {
        if (source is not Dataset data) return Evaluation.Row(model, source, config.EvaluationBatchSize, step, trainLoss);
        var test = Evaluation.Measure(model, data.TestImages, data.TestLabels, config.EvaluationBatchSize);
        if (data.ValidationImages is null || data.ValidationLabels is null)
            return new HistoryRow(step, trainLoss, test.Loss, test.Accuracy, TestTop5Accuracy: test.Top5Accuracy);
        var (validationLoss, validationAccuracy) = Evaluation.Evaluate(model, data.ValidationImages, data.ValidationLabels, config.EvaluationBatchSize);
        return new HistoryRow(step, trainLoss, test.Loss, test.Accuracy, validationLoss, validationAccuracy, test.Top5Accuracy);
    }
}
