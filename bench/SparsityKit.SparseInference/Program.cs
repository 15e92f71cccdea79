// Inference time of pruned models: libtorch's dense forward pass of the masked model against SparsityKit's SparseModel
// (sparse CSR kernel where it pays), LeNet-300-100 and LeNet-5, magnitude-pruned to each sparsity, at each batch size,
// on one thread and on all. Dense and sparse are timed alternately within each repeat, the order alternating between
// repeats, and the speed-up is taken within the repeat (the shared machine's speed drifts); the median and the range
// over repeats are printed. "promised" is the speed-up the multiply-accumulate count promises (dense over kept).
// At batch 1, "span" is the sparse model run on plain arrays (SparseModel.Forward(ReadOnlySpan, Span): no tensor made)
// over the same dense forward pass: what a caller that keeps its data in arrays gets.
// usage: SparsityKit.SparseInference [--repeats R] [--large-repeats R] [--models a,b] [--sparsities 0,0.5,...]
//        [--batches 1,60,10000] [--threads 1,2] [--first-layer]   (--first-layer: LeNet-300-100's first layer alone,
//        784 -> 300; --large-repeats: repeats of LeNet-5's rows at batches of 1,000 or more, seconds per forward pass here)
//        [--lenet5-batches 1,60,1000]   (LeNet-5's own batches, default those of --batches: libtorch's dense convolution
//        of 10,000 images takes minutes per row on this loaded machine)
using System.Diagnostics;
using System.Globalization;
using SparsityKit.Inference;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
int repeats = 5;
int? largeRepeats = null;
string[] models = ["lenet300-100", "lenet5"];
double[] sparsities = [0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99];
long[] batches = [1, 60, 10_000];
long[]? lenet5Batches = null;
int[] threadCounts = [1, Environment.ProcessorCount];
bool firstLayer = false;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--repeats": repeats = int.Parse(Next()); break;
        case "--large-repeats": largeRepeats = int.Parse(Next()); break;
        case "--models": models = Next().Split(','); break;
        case "--sparsities": sparsities = Next().Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--batches": batches = Next().Split(',').Select(long.Parse).ToArray(); break;
        case "--lenet5-batches": lenet5Batches = Next().Split(',').Select(long.Parse).ToArray(); break;
        case "--threads": threadCounts = Next().Split(',').Select(int.Parse).ToArray(); break;
        case "--first-layer": firstLayer = true; models = ["lenet300-100"]; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}: use --repeats R, --large-repeats R, --lenet5-batches b,..., --models a,b, --sparsities s,..., --batches b,..., --threads t,..., --first-layer");
            return 2;
    }
}

Console.WriteLine($"# {(firstLayer ? "LeNet-300-100 first layer (784 -> 300)" : "whole models")}; {repeats} repeats{(largeRepeats is int lr ? $" ({lr} for LeNet-5 at batches of 1,000 or more)" : "")}{(lenet5Batches is null ? "" : $"; LeNet-5 at batches {string.Join(", ", lenet5Batches)}")}; times in ms per batch, median over repeats; " +
    $"speed-up = dense/sparse within a repeat: median [min-max]; Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
Console.WriteLine($"{"model",-14} {"sparsity",8} {"threads",7} {"batch",6} {"dense ms",10} {"sparse ms",10} {"speed-up",20} {"promised",9} {"cpu-time",9}  {"sparse layers",-16} span (batch 1)");
var summary = new Dictionary<(string, double, int, long), double>();
foreach (var name in models)
{
    foreach (var sparsity in sparsities)
    {
        var model = Zoo.Create(name, seed: 1, device: CPU);
        model.eval();
        using var masks = sparsity == 0 ? MaskSet.Ones(model) : Prune.Magnitude(model, SparsityDistribution.Uniform(sparsity));
        masks.ApplyTo(model);
        var plan = firstLayer ? new InferencePlan([784], [new PlanStep.Linear("fc1")]) : InferencePlan.For(model);
        using var sparse = SparseInference.Convert(model, masks, plan: plan);
        var fc1 = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Func<Tensor, Tensor> dense = firstLayer ? x => nn.functional.linear(x, fc1["fc1.weight"], fc1["fc1.bias"]) : model.call;
        foreach (int threads in threadCounts)
        {
            set_num_threads(threads);
            foreach (long batch in name == "lenet5" && lenet5Batches is not null ? lenet5Batches : batches)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var x = randn([batch, .. firstLayer ? new long[] { 784 } : sparse.InputShape]);
                int rowRepeats = name == "lenet5" && batch >= 1000 ? largeRepeats ?? repeats : repeats;
                var times = Measure(() => dense(x), () => sparse.forward(x), rowRepeats);
                string span = "";
                if (batch == 1 && sparse.RunsWithoutLibtorch(1))
                {
                    var xs = x.data<float>().ToArray();
                    var ys = new float[sparse.OutputFeatures];
                    var spanTimes = Measure(() => dense(x), () => { sparse.Forward(xs, ys); return null; }, rowRepeats);
                    var spanRatios = spanTimes.Select(t => t.Dense / t.Sparse).Order().ToArray();
                    span = $"{Median(spanRatios):F2}x [{spanRatios[0]:F2}-{spanRatios[^1]:F2}]";
                }
                var ratios = times.Select(t => t.Dense / t.Sparse).Order().ToArray();
                // Process CPU time, dense over sparse: on one thread, what the loaded machine's stalls do not distort.
                double cpu = Median(times.Select(t => t.DenseCpu / Math.Max(t.SparseCpu, 1e-9)));
                var layers = string.Join(",", sparse.Layers.Where(l => l.DenseFlops > 0 && l.RunsSparse(batch)).Select(l => l.Name));
                Console.WriteLine($"{name,-14} {sparsity,8:P0} {threads,7} {batch,6} {Median(times.Select(t => t.Dense)) * 1e3,10:F3} " +
                    $"{Median(times.Select(t => t.Sparse)) * 1e3,10:F3} {$"{Median(ratios):F2}x [{ratios[0]:F2}-{ratios[^1]:F2}]",20} " +
                    $"{sparse.PromisedSpeedup,8:F1}x {cpu,8:F2}x  {(layers.Length == 0 ? "-" : layers),-16} {span}");
                summary[(name, sparsity, threads, batch)] = Median(ratios);
            }
        }
        set_num_threads(threadCounts[0]);
    }
}
if (summary.TryGetValue(("lenet300-100", 0.95, 1, 10_000), out var large) && summary.TryGetValue(("lenet300-100", 0.95, 1, 1), out var single))
    Console.WriteLine($"LeNet-300-100{(firstLayer ? " first layer" : "")} at 95%, one thread: batch 10000 {large:F1}x, batch 1 {single:F1}x");
return 0;

// Dense and sparse alternately (order alternating between repeats), each run enough times to take about 100 ms (the
// warm-up run, timed, sets how many: a LeNet-5 pass over 10,000 images takes seconds here).
static List<(double Dense, double Sparse, double DenseCpu, double SparseCpu)> Measure(Func<Tensor?> dense, Func<Tensor?> sparse, int repeats)
{
    int denseRuns = RunsFor(dense), sparseRuns = RunsFor(sparse);
    var results = new List<(double, double, double, double)>();
    for (int r = 0; r < repeats; r++)
    {
        (double Wall, double Cpu) d, s;
        if (r % 2 == 0) { d = Time(dense, denseRuns); s = Time(sparse, sparseRuns); }
        else { s = Time(sparse, sparseRuns); d = Time(dense, denseRuns); }
        results.Add((d.Wall, s.Wall, d.Cpu, s.Cpu));
    }
    return results;
}

// One warm-up run, then (if it was quick) a second timed one: the first call of a path includes its compilation.
static int RunsFor(Func<Tensor?> run)
{
    double first = Time(run, 1).Wall;
    if (first < 0.1) first = Time(run, 1).Wall;
    return (int)Math.Clamp(0.1 / Math.Max(first, 1e-7), 1, 50_000);
}

static (double Wall, double Cpu) Time(Func<Tensor?> run, int runs)
{
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < runs; i++) run()?.Dispose();
    double wall = Stopwatch.GetElapsedTime(start).TotalSeconds / runs;
    process.Refresh();
    return (wall, (process.TotalProcessorTime - cpu).TotalSeconds / runs);
}

static double Median(IEnumerable<double> values)
{
    var v = values.Order().ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
}
