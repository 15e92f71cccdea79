// Generated from notebooks/02-lottery-tickets.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/02-lottery-tickets/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/02-lottery-tickets.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/02-lottery-tickets.cs    the papers' settings
// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)
// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.
#:project ../../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

using SparsityKit.Analysis;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using System.IO;
using static SparsityKit.Analysis.AppOutput;

Begin(chartFolder: "../../artifacts/apps/02-lottery-tickets", dataFolder: "../../data");

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
var config = quick
    ? Presets.LotteryTicketLeNet300 with { Steps = 200, EvaluateEvery = 50 }
    : Presets.LotteryTicketLeNet300 with { Steps = 50_000, EvaluateEvery = 100 };   // Frankle and Carbin: 50,000 iterations, evaluated every 100
var lottery = quick
    ? new LotteryConfig { Rounds = 2, Rate = 0.5, OutputLayerRate = 0.25, Seeds = [1] }
    // Frankle and Carbin: 20 rounds (to 1.2% of the weights), 5 trials whose seeds set the batch order as well as the initialisation.
    : new LotteryConfig { Rounds = 20, Seeds = [1, 2, 3, 4, 5], Controls = LotteryControls.All, SeedSetsBatchOrder = true };
long lateRewind = quick ? 20 : 500;
Show($"{(quick ? "Quick" : "Full")} mode: {config.Steps:N0} steps per run; {lottery}", cell: 4);

// Cell 5
// The repository's results/ folder, beside its data/ folder.
var storeFolder = Path.GetFullPath(Path.Combine(DataDirectory.Locate(), "..", "results", "notebooks", quick ? "02-lottery-tickets-quick" : "02-lottery-tickets"));
if (quick && Directory.Exists(storeFolder)) Directory.Delete(storeFolder, recursive: true);
var store = new RunStore(storeFolder);
var storeName = Path.GetRelativePath(Path.Combine(DataDirectory.Locate(), ".."), storeFolder);
// Frankle and Carbin hold out 5,000 training images to choose the early-stopping step by validation loss.
var mnist = Datasets.Mnist().WithValidation(5_000);
ModelFactory lenet = seed => Zoo.LeNet300_100(seed, device: mnist.Device);
Show($"Run store: {storeName}", cell: 5);

// Cell 6
var progress = Trainer.DefaultProgress();
var tickets = Lottery.Run("lenet300-lottery", lenet, mnist, config, lottery, store, progress);
Show(tickets, cell: 6);

// Cell 7
var again = Lottery.Run("lenet300-lottery", lenet, mnist, config, lottery, store, progress);
Show($"{again.Computed} runs computed, {again.Loaded} loaded from {storeName}", cell: 7);

// Cell 8
var late = Lottery.Run("lenet300-lottery-late", lenet, mnist, config,
    lottery with { RewindStep = lateRewind, Controls = LotteryControls.None, Seeds = quick ? lottery.Seeds : [1, 2, 3] }, store, progress);
Show(late, cell: 8);

// Cell 9
var lateTickets = late.Of("ticket").Select(r => r with { Kind = $"ticket, rewound to step {lateRewind}" });
Show(Charts.LotteryTickets(tickets.Records.Concat(lateTickets)), cell: 9);

// Cell 10
Show(tickets.ToDataFrame(), cell: 10);

// Cell 11
Show(tickets.Records.Concat(lateTickets).SummaryFrame(r => r.EarlyStopTestAccuracy), cell: 11);

// Cell 12
Show(tickets.Records.Concat(lateTickets).ComparisonTable(r => r.EarlyStopStep, unit: "iterations", digits: 0), cell: 12);
