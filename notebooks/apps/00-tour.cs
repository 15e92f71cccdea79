// Generated from notebooks/00-tour.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/00-tour/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/00-tour.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/00-tour.cs    the papers' settings
// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)
// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.
#:project ../../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

using SparsityKit.Analysis;
using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using static SparsityKit.Analysis.AppOutput;

Begin(chartFolder: "../../artifacts/apps/00-tour", dataFolder: "../../data");

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
// Frankle and Carbin's settings (Adam 1.2e-3, batch 60, 50,000 iterations); quick mode only shortens the run.
var config = quick
    ? Presets.LotteryTicketLeNet300 with { Steps = 600, EvaluateEvery = 100 }
    : Presets.LotteryTicketLeNet300;
Show($"{(quick ? "Quick" : "Full")} mode: {config.Steps:N0} steps of {config.BatchSize} images, test accuracy every {config.EvaluateEvery:N0} steps.", cell: 4);

// Cell 5
var mnist = Datasets.Mnist();
Show(mnist, cell: 5);

// Cell 6
var model = Zoo.LeNet300_100(seed: 1, device: mnist.Device);
Show($"LeNet-300-100: {model.parameters().Sum(p => p.numel()):N0} parameters", cell: 6);

// Cell 7
var constant = Trainer.Train(model, mnist, config, name: "constant rate");
Show(constant, cell: 7);

// Cell 8
var cosine = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: mnist.Device), mnist,
    config with { Schedule = new CosineDecay() }, name: "cosine decay");
Show(cosine, cell: 8);

// Cell 9
var history = new[] { constant, cosine }.ToDataFrame();
Show(history, cell: 9);

// Cell 10
// The three best evaluations of either run.
Show(history.OrderByDescending("TestAccuracy").Head(3), cell: 10);

// Cell 11
Show(Charts.TrainingCurves(constant, cosine), cell: 11);
