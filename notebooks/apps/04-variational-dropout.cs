// Generated from notebooks/04-variational-dropout.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/04-variational-dropout/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/04-variational-dropout.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/04-variational-dropout.cs    the papers' settings
// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)
// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.
#:project ../../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

using SparsityKit.Analysis;
using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using System.IO;
using static SparsityKit.Analysis.AppOutput;

Begin(chartFolder: "../../artifacts/apps/04-variational-dropout", dataFolder: "../../data");

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
int epochs = quick ? 1 : 30;
var mnist = Datasets.Mnist();
// Molchanov et al.'s optimiser (Adam 1e-3, batch 100) and learning-rate shape (flat, then linear to zero), 30 epochs
// instead of their 200 (see docs/variational-dropout-and-l0.md for what that costs).
var config = new TrainConfig { Steps = epochs * 600, BatchSize = 100, Optimizer = new Adam(1e-3), Schedule = new FlatThenLinearDecay(0.5),
                               EvaluateEvery = quick ? 300 : 3_000 };
Show($"{(quick ? "Quick" : "Full")} mode: {epochs} epoch(s), {config.Steps:N0} steps.", cell: 4);

// Cell 5
var model = Zoo.LeNet300_100(seed: 1, layers: new VariationalDropoutLayers(), device: mnist.Device);
var vd = new VariationalDropout(klWeight: 1, new KlSchedule(ZeroEpochs: quick ? 0.2 : 2, RampEpochs: quick ? 0.5 : 8));
var run = Trainer.Train(model, mnist, config, vd, Trainer.DefaultProgress(), "variational dropout");
Show(run, cell: 5);

// Cell 6
Show(vd.Masks, cell: 6);

// Cell 7
Show(SparsityReport.Of(model, mnist.ImageShape, vd.Masks), cell: 7);

// Cell 8
Show(Charts.LayerSparsity(vd.Masks!), cell: 8);

// Cell 9
var thresholds = new List<ThresholdResult>();
foreach (var target in new[] { 0.8, 0.9, 0.95, 0.98 })
{
    VariationalDropout.SetThresholdForSparsity(model, target);
    using var masks = VariationalDropout.MasksOf(model);
    var (_, accuracy) = Evaluation.Evaluate(model, mnist.TestImages, mnist.TestLabels);
    thresholds.Add(new(target, masks.Sparsity, accuracy));
}
VariationalDropout.SetThreshold(model, 3);
Show(thresholds.ToDataFrame(), cell: 9);

record ThresholdResult(double TargetSparsity, double Sparsity, double TestAccuracy);
