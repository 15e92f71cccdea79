// Where the time of one training step goes: LeNet-300-100 on MNIST, Adam 1.2e-3, batch 60, one thread, the phases of
// TrainingSession's step timed separately, dense and under a random mask (whose gradient and weight masking run inside
// the optimizer step), one after the other in one process. For the masked/dense ratio use SparsityKit.MaskCost, which
// runs both in lockstep.
// usage: SparsityKit.StepProfile [--steps N] [--sparsity S] [--repeats R]
using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

if (BenchArguments.Parse(args, new(Steps: 2_000, Sparsity: 0.9, Repeats: 3)) is not { } options) return 2;
var (steps, sparsity, repeats, _) = options;
set_num_threads(1);
using var data = Datasets.Mnist(CPU);
string[] phases = ["forward", "backward", "optimizer"];
var ratios = new List<double>();
for (int r = 0; r < repeats; r++)
{
    double dense = 0;
    foreach (var masked in new[] { false, true })
    {
        var time = Profile(masked);
        double total = time.Sum();
        Console.WriteLine($"{(masked ? $"masked {sparsity:P0}" : "dense"),-11} " +
            string.Join("  ", phases.Select((p, k) => $"{p} {time[k],4:F0}")) + $"  total {total:F0} us per step");
        if (masked) ratios.Add(total / dense); else dense = total;
    }
}
Console.WriteLine($"masked/dense time per step: {string.Join(", ", ratios.Select(x => x.ToString("F3")))}");
return 0;

// Microseconds per step in each phase, after 10% of the steps as warm-up; the same work as TrainingSession and MaskedTraining do.
double[] Profile(bool masked)
{
    var model = Zoo.LeNet300_100(seed: 0, device: CPU);
    var parameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToList();
    using var optimizer = new Adam(1.2e-3).Create(parameters);
    using var sampler = new BatchSampler(data.TrainCount, 60, seed: 1, CPU);
    using var masks = Prune.Random(model, SparsityDistribution.Uniform(sparsity), seed: 0);
    if (masked)
    {
        masks.ApplyTo(model);
        foreach (var (name, mask) in masks.Entries) optimizer.SetMask(name, mask);
    }
    var ticks = new long[phases.Length];
    int warmup = steps / 10;
    for (int s = 0; s < steps + warmup; s++)
    {
        using var scope = NewDisposeScope();
        long t0 = Stopwatch.GetTimestamp();
        var batch = sampler.Next();
        var loss = nn.functional.cross_entropy(model.call(data.TrainImages.index_select(0, batch)), data.TrainLabels.index_select(0, batch));
        long t1 = Stopwatch.GetTimestamp();
        optimizer.ZeroGrad();
        loss.backward();
        long t2 = Stopwatch.GetTimestamp();
        optimizer.Step();
        long t3 = Stopwatch.GetTimestamp();
        if (s < warmup) continue;
        ticks[0] += t1 - t0; ticks[1] += t2 - t1; ticks[2] += t3 - t2;
    }
    return ticks.Select(t => t * 1e6 / Stopwatch.Frequency / steps).ToArray();
}
