// The "bench" command: training throughput of LeNet-300-100 on MNIST (Frankle and Carbin's Adam 1.2e-3, batch 60),
// dense against a fixed random mask of --sparsity re-applied after every step, interleaved in one process so that a
// shared machine's load falls on both alike; prints each repeat and the ratio's median and range.
using System.CommandLine;
using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;
using TorchSharp;

namespace SparsityKit.Train.Commands;

public static class BenchCommand
{
    public static Command Create()
    {
        var steps = Options.Int("--steps", "Timed training steps per run (default 300)", 1, "300");
        var sparsity = Options.Double("--sparsity", "Sparsity of the random mask (default 0.9)", 0, 1, "0.9", maximumExcluded: true, helpName: "S");
        var repeats = Options.Int("--repeats", "Dense/masked pairs, interleaved (default 3)", 1, "5");
        var batch = Options.Int("--batch", "Batch size (default 60)", 1, "60");
        var threads = Options.Int("--threads", "libtorch threads (default 1)", 1, "1");
        var command = new Command("bench", "Training steps per second of LeNet-300-100, dense against a random mask, interleaved repeats")
        {
            steps, sparsity, repeats, batch, threads,
        };
        command.SetAction(result => Run(result.GetValue(steps) ?? 300, result.GetValue(sparsity) ?? 0.9, result.GetValue(repeats) ?? 3,
            result.GetValue(batch) ?? 60, result.GetValue(threads) ?? 1));
        return command;
    }

    public static int Run(int steps, double sparsity, int repeats, int batch, int threads)
    {
        torch.set_num_threads(threads);
        using var data = Datasets.Mnist(torch.CPU);
        var config = Presets.LotteryTicketLeNet300 with { Steps = steps, BatchSize = batch, EvaluateEvery = 0, ReportEvery = steps };
        Console.WriteLine($"LeNet-300-100 / MNIST, batch {batch}, {steps} steps per run, {threads} thread(s); dense vs random mask at {sparsity:P0}");
        // One untimed pair first: the first run in a process pays for libtorch's start-up and allocations.
        StepsPerSecond(data, config, 0);
        StepsPerSecond(data, config, sparsity);
        var ratios = new List<double>();
        for (int r = 1; r <= repeats; r++)
        {
            double dense = StepsPerSecond(data, config, 0), masked = StepsPerSecond(data, config, sparsity);
            ratios.Add(masked / dense);
            Console.WriteLine($"repeat {r}: dense {dense:F1} steps/s, masked {masked:F1} steps/s, masked/dense {masked / dense:F2}");
        }
        ratios.Sort();
        Console.WriteLine($"masked/dense throughput: median {Median(ratios):F2}, range {ratios[0]:F2}-{ratios[^1]:F2} over {repeats} repeat(s)");
        return 0;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    // The clock covers the training steps only: the model, optimizer and mask are built before it starts.
    private static double StepsPerSecond(Dataset data, TrainConfig config, double sparsity)
    {
        using var model = Zoo.LeNet300_100(seed: 0, device: torch.CPU);
        TrainingMethod? method = sparsity == 0 ? null : new FixedMask(Prune.Random(model, SparsityDistribution.Uniform(sparsity), seed: 0), name: "random mask");
        using var session = new TrainingSession(model, data, config, method);
        session.Start();
        var clock = Stopwatch.StartNew();
        while (session.StepsDone < config.Steps) session.Step();
        session.TakeMeanLoss();
        return config.Steps / clock.Elapsed.TotalSeconds;
    }
}
