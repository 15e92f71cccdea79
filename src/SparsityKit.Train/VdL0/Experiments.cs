using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using System.Diagnostics;
using static TorchSharp.torch;

namespace SparsityKit.Train.VdL0;

/// <summary>The variational-dropout and L0 runs on MNIST LeNet-300-100 that issue 5 asks for.</summary>
internal static class Experiments
{
    private static readonly long[] InputShape = [1, 28, 28];

    /// <summary>One variational-dropout run with KL weight <paramref name="klWeight"/>.</summary>
    public static RunResult VariationalDropoutRun(Dataset data, ExperimentOptions o, double klWeight, IProgress<TrainingProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var layers = new VariationalDropoutLayers(threshold: o.Threshold);
        var model = Zoo.LeNet300_100(o.Seed, layers, data.Device);
        if (o.PretrainEpochs > 0)
        {
            var dense = Zoo.LeNet300_100(o.Seed, device: data.Device);
            var pretrain = Config(data, o, o.PretrainEpochs) with { Schedule = LearningRateSchedule.Constant };
            var denseRun = Trainer.Train(dense, data, pretrain, progress: progress, name: "dense pre-training");
            Console.WriteLine($"dense pre-training: test error {1 - denseRun.TestAccuracy:P2}");
            VariationalDropoutLayers.CopyDenseWeights(model, dense, layers.InitialLogSigma2);
        }
        var method = new VariationalDropout(klWeight, new KlSchedule(o.KlZeroEpochs, o.KlRampEpochs));
        var run = Trainer.Train(model, data, Config(data, o, o.Epochs), method, progress, method.Name);
        var result = Summarise(run, method.Masks!, klWeight, clock.Elapsed);
        if (o.ThresholdSparsities.Count > 0) SweepThreshold(model, data, o.ThresholdSparsities, o.Threshold);
        return result;
    }

    // Gale et al. sweep the log-alpha threshold as well as the KL weight: the same trained model, evaluated at other sparsities.
    private static void SweepThreshold(TorchSharp.torch.nn.Module<Tensor, Tensor> model, Dataset data, IReadOnlyList<double> sparsities, double original)
    {
        foreach (var target in sparsities)
        {
            double threshold = VariationalDropout.SetThresholdForSparsity(model, target);
            using var masks = VariationalDropout.MasksOf(model);
            var (_, accuracy) = Evaluation.Evaluate(model, data.TestImages, data.TestLabels);
            Console.WriteLine($"threshold {threshold,8:F3}: sparsity {masks.Sparsity:P2}, test error {1 - accuracy:P2}");
        }
        VariationalDropout.SetThreshold(model, original);
    }

    /// <summary>One L0 run with penalty weight <paramref name="lambda"/>.</summary>
    public static RunResult L0Run(Dataset data, ExperimentOptions o, double lambda, IProgress<TrainingProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var model = Zoo.LeNet300_100(o.Seed, new L0Layers(initialDropRate: o.InitialDropRate), data.Device);
        var method = new L0Regularization(lambda);
        var run = Trainer.Train(model, data, Config(data, o, o.Epochs), method, progress, method.Name);
        return Summarise(run, method.Masks!, lambda, clock.Elapsed);
    }

    private static TrainConfig Config(Dataset data, ExperimentOptions o, int epochs)
    {
        int stepsPerEpoch = (int)(data.TrainCount / o.BatchSize);
        return new TrainConfig
        {
            Steps = epochs * stepsPerEpoch, BatchSize = o.BatchSize, Optimizer = new Adam(o.LearningRate),
            Schedule = new FlatThenLinearDecay(o.FlatFraction), EvaluateEvery = o.EvaluateEveryEpochs * stepsPerEpoch,
            ReportEvery = stepsPerEpoch, DataSeed = o.Seed,
        };
    }

    private static RunResult Summarise(TrainingRun run, MaskSet masks, double knob, TimeSpan elapsed)
    {
        foreach (var row in run.History) Console.WriteLine($"  step {row.Step,6}: train loss {row.TrainLoss:F4}, test error {1 - row.TestAccuracy:P2}");
        var report = SparsityReport.Of(run.Model, InputShape, masks);
        Console.WriteLine(report);
        // The final evaluation, not the best seen during training (REFERENCES.md's caveat on Bayesian pruning codes).
        var result = new RunResult(run.Name, knob, masks.Sparsity, 1 - run.TestAccuracy, report, elapsed);
        Console.WriteLine(result);
        return result;
    }
}
