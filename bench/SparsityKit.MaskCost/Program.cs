// What training under a mask costs per step: LeNet-300-100 on MNIST (Adam 1.2e-3, batch 60, one thread), a dense and a
// masked TrainingSession with the same settings advanced in lockstep, alternating blocks of steps, each block timed.
// Both see the same machine, so the ratio holds even where the machine's speed drifts over minutes (a shared VM).
// usage: SparsityKit.MaskCost [--steps N] [--sparsity S] [--repeats R] [--batch B]
using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;

if (BenchArguments.Parse(args, new(Steps: 3_000, Sparsity: 0.9, Repeats: 1)) is not { } options) return 2;
var (steps, sparsity, repeats, batch) = options;
if (sparsity <= 0) { Console.Error.WriteLine("--sparsity must be above 0: the masked run is compared with a dense one"); return 2; }
const int BlockSteps = 20;
torch.set_num_threads(1);
using var data = Datasets.Mnist(torch.CPU);
var config = Presets.LotteryTicketLeNet300 with { Steps = steps, BatchSize = batch, EvaluateEvery = 0, ReportEvery = steps };
for (int r = 0; r < repeats; r++)
{
    using var dense = Session(0);
    using var masked = Session(sparsity);
    var seconds = new double[2];
    var sessions = new[] { dense, masked };
    for (int block = 0; block * BlockSteps < steps; block++)
    {
        // Which run goes first alternates, so neither always follows the other's cache footprint.
        for (int k = 0; k < 2; k++)
        {
            int which = (block + k) % 2;
            long start = Stopwatch.GetTimestamp();
            for (int s = 0; s < BlockSteps; s++) sessions[which].Step();
            seconds[which] += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }
    int done = (int)dense.StepsDone;
    Console.WriteLine($"sparsitykit lockstep threads={torch.get_num_threads()} sparsity={sparsity} steps={done} " +
        $"batch={batch} dense_steps_per_s={done / seconds[0]:F1} masked_steps_per_s={done / seconds[1]:F1} masked/dense={seconds[1] / seconds[0]:F3}");
}
return 0;

TrainingSession Session(double s)
{
    var model = Zoo.LeNet300_100(seed: 0, device: torch.CPU);
    var session = new TrainingSession(model, data, config, BenchMethods.RandomMask(model, s));
    session.Start();
    return session;
}
