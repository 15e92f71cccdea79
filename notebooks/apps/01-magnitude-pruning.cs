// Generated from notebooks/01-magnitude-pruning.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/01-magnitude-pruning/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/01-magnitude-pruning.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/01-magnitude-pruning.cs    the papers' settings
// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)
// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.
#:project ../../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

using SparsityKit.Analysis;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Inference;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static SparsityKit.Analysis.AppOutput;
using static TorchSharp.torch;

Begin(chartFolder: "../../artifacts/apps/01-magnitude-pruning", dataFolder: "../../data");

// Cell 3
// Parameters: "quick" (the default) or "full"; SPARSITYKIT_MODE overrides the default.
var Mode = Environment.GetEnvironmentVariable("SPARSITYKIT_MODE") is { Length: > 0 } modeVariable ? modeVariable : "quick";

// Cell 4
bool quick = Mode.Trim().ToLowerInvariant() switch
{
    "quick" => true,
    "full" => false,
    _ => throw new ArgumentException($"Mode must be quick or full, not '{Mode}'."),
};
// Adam 1.2e-3 and batch 60 in both modes; quick mode only shortens training.
int steps = quick ? 400 : 20_000;
var config = Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = new CosineDecay(), EvaluateEvery = quick ? 100 : 2_000 };
// One-shot pruning fine-tunes for a quarter of the dense run; gradual pruning trains as long as both together.
var fineTune = config with { Steps = steps / 4, EvaluateEvery = quick ? 50 : 1_000 };
var gradualConfig = config with { Steps = steps + steps / 4 };
double[] sparsities = quick ? [0.8, 0.95] : [0.8, 0.9, 0.95, 0.98];
Show($"{(quick ? "Quick" : "Full")} mode: dense {config.Steps:N0} steps, fine-tuning {fineTune.Steps:N0}, gradual {gradualConfig.Steps:N0}; sparsities {string.Join(", ", sparsities.Select(s => s.ToString("P0")))}.", cell: 4);

// Cell 5
var mnist = Datasets.Mnist();
var dense = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: mnist.Device), mnist, config, name: "dense");
var trained = WeightSnapshot.Capture(dense.Model, dense.Config.Steps);
// A fresh copy of the trained dense network.
nn.Module<Tensor, Tensor> TrainedCopy()
{
    var model = Zoo.LeNet300_100(seed: 1, device: mnist.Device);
    trained.RestoreInto(model);
    return model;
}
Show(dense, cell: 5);

// Cell 6
double target = sparsities[^1];
var uniform = Prune.Magnitude(TrainedCopy(), SparsityDistribution.Uniform(target));
var global = Prune.Magnitude(TrainedCopy(), SparsityDistribution.Global(target));
var erk = Prune.Magnitude(TrainedCopy(), SparsityDistribution.ErdosRenyiKernel(target));
Show(uniform, cell: 6);

// Cell 7
Show(global, cell: 7);

// Cell 8
Show(Charts.LayerSparsity(("uniform", uniform), ("global", global), ("ERK", erk)), cell: 8);

// Cell 9
Show(Charts.WeightHistogram(TrainedCopy(), global), cell: 9);

// Cell 10
Show(Charts.MaskHeatmap(global, "fc1.weight"), cell: 10);

// Cell 11
Show(SparsityReport.Of(TrainedCopy(), mnist.ImageShape, global), cell: 11);

// Cell 12
var progress = Trainer.DefaultProgress();
var records = new List<RunRecord> { Records.From(dense, "magnitude-pruning", "dense", 1, mnist.ImageShape) };
var distributions = new (string Name, Func<double, SparsityDistribution> Make)[]
{
    ("uniform", SparsityDistribution.Uniform), ("global", SparsityDistribution.Global), ("ERK", SparsityDistribution.ErdosRenyiKernel),
};
foreach (var sparsity in sparsities)
{
    foreach (var (name, make) in distributions)
    {
        var model = TrainedCopy();
        var masks = Prune.Magnitude(model, make(sparsity));
        var run = Trainer.Train(model, mnist, fineTune, new FixedMask(masks, name: $"one-shot {name}"), progress, $"one-shot {name} {sparsity:P0}");
        records.Add(Records.From(run, "magnitude-pruning", $"one-shot {name}", 1, mnist.ImageShape, targetSparsity: sparsity));
    }
    int s = gradualConfig.Steps;
    var gradual = new MagnitudePruning(SparsityDistribution.Uniform(sparsity), PruningSchedule.Gradual(begin: s / 10, end: s * 6 / 10, every: s / 40));
    var gradualRun = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: mnist.Device), mnist, gradualConfig, gradual, progress, $"gradual uniform {sparsity:P0}");
    records.Add(Records.From(gradualRun, "magnitude-pruning", "gradual uniform", 1, mnist.ImageShape, targetSparsity: sparsity));
}
Show(records, cell: 12);

// Cell 13
Show(records.ToDataFrame(), cell: 13);

// Cell 14
Show(Charts.AccuracyVsSparsity(records.Where(r => r.Kind != "dense"), title: "One-shot versus gradual magnitude pruning"), cell: 14);

// Cell 15
Show(Charts.AccuracyVsFlops(records, title: "Accuracy versus FLOPs"), cell: 15);

// Cell 16
// One thread, so the figures compare kernels rather than thread scheduling; libtorch's setting is restored afterwards.
int previousThreads = get_num_threads();
set_num_threads(1);
double[] speedSparsities = [0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99];
long[] speedBatches = quick ? [1, 1_000] : [1, 60, 10_000];
var speeds = new List<SpeedupMeasurement>();
try
{
    foreach (var sparsity in speedSparsities)
    {
        // On the CPU, where the sparse kernel runs; the dense model it is compared with runs there too.
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        trained.RestoreInto(model);
        model.eval();
        using var masks = sparsity == 0 ? MaskSet.Ones(model) : Prune.Magnitude(model, SparsityDistribution.Uniform(sparsity));
        masks.ApplyTo(model);
        using var sparse = SparseInference.Convert(model, masks);
        foreach (var batch in speedBatches)
        {
            using var x = randn(batch, 784, generator: new Generator(1));
            speeds.Add(InferenceSpeed.Measure(model.call, sparse, x, "LeNet-300-100", sparsity,
                repeats: quick ? 5 : 7, window: quick ? 0.02 : 0.1));
        }
    }
}
finally
{
    set_num_threads(previousThreads);
}
Show(Charts.Speedup(speeds, title: "LeNet-300-100, one thread: speed-up the FLOPs promise and speed-up measured"), cell: 16);

// Cell 17
Show(speeds.Select(m => new { Sparsity = $"{m.Sparsity:P0}", m.Batch, DenseMs = Math.Round(m.DenseSeconds * 1e3, 3),
    SparseMs = Math.Round(m.SparseSeconds * 1e3, 3), Measured = $"{m.Speedup:F2}x", Range = $"{m.MinSpeedup:F2}-{m.MaxSpeedup:F2}x",
    Promised = $"{m.PromisedSpeedup:F1}x" }), cell: 17);
