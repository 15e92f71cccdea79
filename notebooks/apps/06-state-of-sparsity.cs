// Generated from notebooks/06-state-of-sparsity.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/06-state-of-sparsity/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/06-state-of-sparsity.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/06-state-of-sparsity.cs    the papers' settings
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
using System.IO;
using static SparsityKit.Analysis.AppOutput;

Begin(chartFolder: "../../artifacts/apps/06-state-of-sparsity", dataFolder: "../../data");

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
int steps = quick ? 200 : 20_000;
// Quick mode's 200 steps are too few for L0's gates to close at the full runs' learning rate (Adam moves a gate's log
// alpha by about the rate per step, and a gate closes 2.4 below where it starts): ten times the rate, held constant.
var config = quick
    ? Presets.LotteryTicketLeNet300 with { Steps = steps, Optimizer = new Adam(1.2e-2), Schedule = LearningRateSchedule.Constant, EvaluateEvery = 100 }
    : Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = new CosineDecay(), EvaluateEvery = 2_000 };
double[] sparsities = quick ? [0.5, 0.9, 0.98] : [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98];
long[] seeds = quick ? [1, 2] : [1, 2, 3];
Show($"{(quick ? "Quick" : "Full")} mode: {steps:N0} steps per run; sparsities {string.Join(", ", sparsities)}; seeds {string.Join(", ", seeds)}.", cell: 4);

// Cell 5
var mnist = Datasets.Mnist();
ModelFactory lenet = seed => Zoo.LeNet300_100(seed, device: mnist.Device);
PruningSchedule Gradual() => PruningSchedule.Gradual(begin: steps / 10, end: steps * 6 / 10, every: Math.Max(1, steps / 200));   // every 0.5% of training
var methods = new List<SweepMethod>
{
    new("magnitude", (sparsity, seed) => new MagnitudePruning(SparsityDistribution.Uniform(sparsity), Gradual())),
    new("random", (sparsity, seed) => new RandomPruning(SparsityDistribution.Uniform(sparsity), Gradual(), seed)),
};
Show(string.Join(", ", methods.Select(m => m.Name)), cell: 5);

// Cell 6
// Variational dropout: train once per seed with KL weight 1, then move the log-alpha threshold to each target
// (Gale et al. sweep the threshold too): AtSparsity tells the sweep to measure every target from that one training.
// L0: one training per target, with lambda from a rough map fitted to three 30-epoch runs (lambda 2, 3.36, 8 gave
// 83.6%, 90.8%, 96.8%; see docs/variational-dropout-and-l0.md) in quick mode, and from a search on full-length runs in
// full mode (below), which fills l0Lambdas. Neither method hits every target exactly (VD cannot prune less than its
// training did): records are plotted at the sparsity each run actually reached, and the replication report compares
// methods only at targets both reached within a point.
static double L0Lambda(double sparsity) => 0.43 * Math.Pow(1 - sparsity, -0.85);
var l0Lambdas = new Dictionary<double, double>();
double epochs = steps * config.BatchSize / 60_000.0;
double epochsToFullKl = Math.Min(10, epochs / 2);
methods.Add(new("variational dropout",
    (_, seed) => new VariationalDropout(klWeight: 1, new KlSchedule(ZeroEpochs: epochsToFullKl / 5, RampEpochs: epochsToFullKl * 4 / 5)),
    seed => Zoo.LeNet300_100(seed, layers: new VariationalDropoutLayers(), device: mnist.Device))
    { AtSparsity = VariationalDropout.AtSparsity });
methods.Add(new("L0", (sparsity, seed) => new L0Regularization(l0Lambdas.TryGetValue(sparsity, out var lambda) ? lambda : L0Lambda(sparsity)),
    seed => Zoo.LeNet300_100(seed, layers: new L0Layers(), device: mnist.Device)));
Show(string.Join(", ", methods.Select(m => m.Name)), cell: 6);

// Cell 7
// The repository's results/ folder, beside its data/ folder; the store's name says its pruning schedule, so runs pruned
// on another schedule (the earlier every 2.5%) are never mixed in.
var storeFolder = Path.GetFullPath(Path.Combine(DataDirectory.Locate(), "..", "results", "notebooks", quick ? "06-state-of-sparsity-every-0.5pct-quick" : "06-state-of-sparsity-every-0.5pct"));
if (quick && Directory.Exists(storeFolder)) Directory.Delete(storeFolder, recursive: true);
var store = new RunStore(storeFolder);
Show(Path.GetRelativePath(Path.Combine(DataDirectory.Locate(), ".."), storeFolder), cell: 7);

// Cell 8
// The first target's starting lambda: a line in logit(sparsity) against log(lambda) through the full seed-1 runs at the
// earlier search's lambdas (15 to 323 gave 98.6% to 99.97%); below 98% it extrapolates, and the bracketing corrects it.
static double L0LambdaFullRuns(double sparsity) => 0.52 * Math.Pow(sparsity / (1 - sparsity), 0.79);
var l0Searches = new List<L0Search>();
if (!quick)
{
    var searchConfig = config with { DataSeed = 1 };   // the sweep's seed-1 run, but for lambda
    var trials = new List<SearchTrial<RunRecord>>();
    foreach (var target in sparsities)
    {
        var search = SparsitySearch.Run(target, lambda =>
        {
            var method = new L0Regularization(lambda);
            RunKey key;
            using (var initial = Zoo.LeNet300_100(1, layers: new L0Layers(), device: mnist.Device))
                key = RunKey.Of(("model", initial), ("data", mnist), ("config", searchConfig), ("method", method));
            var name = $"l0-lambda-search-full/lambda{lambda:G6}-{key.Hash}";
            if (!store.TryLoad(name, out var trial))
            {
                var run = Trainer.Train(Zoo.LeNet300_100(1, layers: new L0Layers(), device: mnist.Device), mnist, searchConfig, method,
                    Trainer.DefaultProgress(), $"L0 lambda {lambda:G4}, {searchConfig.Steps:N0} steps", store.CheckpointPath(name));
                trial = Records.From(run, "l0-lambda-search", "L0", 1, mnist.ImageShape, config: key.Description);
                store.Save(name, trial);
            }
            return (trial, trial.Sparsity);
        }, initialKnob: L0LambdaFullRuns(target), factor: 3, maxTrials: 5, tolerance: 0.01, known: trials);
        l0Lambdas[target] = search.Best.Knob;
        l0Searches.Add(new(target, search.Best.Knob, search.Best.Sparsity, search.Trials.Count - trials.Count, search.Reached(0.01)));
        trials = search.Trials.ToList();
    }
}
Show(quick ? (object)"Quick mode: lambda from the rough map, no search." : l0Searches.ToDataFrame(), cell: 8);

// Cell 9
var records = Sweep.Run("state-of-sparsity", methods, sparsities, seeds, lenet, mnist, config, store, Trainer.DefaultProgress());
Show(records, cell: 9);

// Cell 10
Show(records.ComparisonTable(), cell: 10);

// Cell 11
// One row per method and target: the mean achieved sparsity (Sparsity), the speed-up, and accuracy mean and std.
Show(records.SummaryFrame(r => r.TestAccuracy), cell: 11);

// Cell 12
Show(Charts.AccuracyVsSparsity(records, title: "State of sparsity: LeNet-300-100 on MNIST"), cell: 12);

// Cell 13
Show(Charts.AccuracyVsFlops(records, speedup: true, title: "Accuracy versus theoretical speed-up"), cell: 13);

// Cell 14
Show(records.ToDataFrame(), cell: 14);

record L0Search(double TargetSparsity, double Lambda, double FullRunSparsity, int NewRuns, bool Reached);
