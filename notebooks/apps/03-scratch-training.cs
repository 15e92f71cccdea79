// Generated from notebooks/03-scratch-training.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/03-scratch-training/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/03-scratch-training.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/03-scratch-training.cs    the papers' settings
// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)
// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.
#:project ../../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

using SparsityKit.Analysis;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static SparsityKit.Analysis.AppOutput;

Begin(chartFolder: "../../artifacts/apps/03-scratch-training", dataFolder: "../../data");

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
int steps = quick ? 250 : 20_000;
var config = Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = new CosineDecay(), EvaluateEvery = quick ? 50 : 2_000 };
var fineTune = config with { Steps = steps / 4, EvaluateEvery = quick ? 25 : 1_000 };
double[] sparsities = quick ? [0.8, 0.95] : [0.5, 0.8, 0.9, 0.95, 0.98];
long[] seeds = quick ? [1] : [1, 2, 3];
Show($"{(quick ? "Quick" : "Full")} mode: {steps:N0} steps, fine-tuning {fineTune.Steps:N0}; sparsities {string.Join(", ", sparsities)}; seeds {string.Join(", ", seeds)}.", cell: 4);

// Cell 5
var mnist = Datasets.Mnist();
ModelFactory lenet = seed => Zoo.LeNet300_100(seed, device: mnist.Device);
var progress = Trainer.DefaultProgress();
var records = new List<RunRecord>();
foreach (var seed in seeds)
{
    var dense = Trainer.Train(lenet(seed), mnist, config with { DataSeed = seed }, progress: progress, name: $"dense seed {seed}");
    records.Add(Records.From(dense, "scratch", "dense", seed, mnist.ImageShape));
    var trained = WeightSnapshot.Capture(dense.Model, steps);
    foreach (var sparsity in sparsities)
    {
        var model = lenet(seed);
        trained.RestoreInto(model);
        var masks = Prune.Magnitude(model, SparsityDistribution.Global(sparsity));
        var tuned = Trainer.Train(model, mnist, fineTune with { DataSeed = seed }, new FixedMask(masks, name: "prune + fine-tune"), progress,
            $"prune + fine-tune {sparsity:P0} seed {seed}");
        records.Add(Records.From(tuned, "scratch", "prune + fine-tune", seed, mnist.ImageShape, targetSparsity: sparsity));
        foreach (var budget in new[] { ScratchBudget.SameSteps, ScratchBudget.SameFlops })
        {
            var (_, record) = Scratch.Train(masks, lenet, mnist, config with { DataSeed = seed }, budget, seed: seed + 1_000, experiment: "scratch", progress: progress);
            records.Add(record with { Seed = seed, TargetSparsity = sparsity });
        }
    }
}
Show(records, cell: 5);

// Cell 6
Show(records.ComparisonTable(), cell: 6);

// Cell 7
Show(Charts.AccuracyVsSparsity(records, axis: SparsityAxis.WeightsRemaining, title: "Prune + fine-tune versus training from scratch"), cell: 7);

// Cell 8
Show(records.ToDataFrame(), cell: 8);
