// Generated from notebooks/05-l0-regularization.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/05-l0-regularization/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/05-l0-regularization.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/05-l0-regularization.cs    the papers' settings
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

Begin(chartFolder: "../../artifacts/apps/05-l0-regularization", dataFolder: "../../data");

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
double[] lambdas = quick ? [2, 8] : [0.5, 2, 3.36, 8];
var mnist = Datasets.Mnist();
// Adam moves each gate's log alpha by about its learning rate per step, and a gate closes only 2.4 below where it
// starts: in quick mode's one epoch that takes ten times the learning rate of the full runs.
var config = new TrainConfig { Steps = epochs * 600, BatchSize = 100, Optimizer = new Adam(quick ? 1e-2 : 1e-3), Schedule = new FlatThenLinearDecay(0.5),
                               EvaluateEvery = quick ? 300 : 3_000 };
Show($"{(quick ? "Quick" : "Full")} mode: {epochs} epoch(s) per run at learning rate {(quick ? 1e-2 : 1e-3)}, lambda in [{string.Join(", ", lambdas)}].", cell: 4);

// Cell 5
var results = new List<(double Lambda, TrainingRun Run, MaskSet Masks)>();
foreach (var lambda in lambdas)
{
    var model = Zoo.LeNet300_100(seed: 1, layers: new L0Layers(), device: mnist.Device);
    var l0 = new L0Regularization(lambda);
    var run = Trainer.Train(model, mnist, config, l0, Trainer.DefaultProgress(), $"L0, lambda {lambda}");
    results.Add((lambda, run, l0.Masks!));
}
Show(results.Select(r => new PenaltyResult(r.Lambda, r.Masks.Sparsity, r.Run.TestAccuracy)).ToDataFrame(), cell: 5);

// Cell 6
Show(Charts.LayerSparsity(results.Select(r => ($"lambda {r.Lambda}", r.Masks)).ToArray()), cell: 6);

// Cell 7
Show(Charts.TrainingCurves(results.Select(r => r.Run)), cell: 7);

record PenaltyResult(double Lambda, double Sparsity, double TestAccuracy);
