// Generated from notebooks/08-dynamic-and-early-sparsity.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/08-dynamic-and-early-sparsity/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/08-dynamic-and-early-sparsity.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/08-dynamic-and-early-sparsity.cs    the papers' settings
// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)
// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.
#:project ../../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

using Microsoft.Data.Analysis;
using SparsityKit.Analysis;
using SparsityKit.Data;
using SparsityKit.Experiments.Replication;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Training;
using System.IO;
using static SparsityKit.Analysis.AppOutput;

Begin(chartFolder: "../../artifacts/apps/08-dynamic-and-early-sparsity", dataFolder: "../../data");

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
// Full mode: 1,500 steps (1.5 epochs at batch 60) per run: on two CPU cores shared with other work a 3,000-step run took
// 3-4 minutes, too long for 129 of them in an afternoon. Every method gets the same budget, which is what the ordering
// is about; a short budget favours methods that are sparse from the start less than a long one (Evci et al., Figure 2).
int steps = quick ? 200 : 1_500;
var config = quick
    ? Presets.LotteryTicketLeNet300 with { Steps = steps, Optimizer = new Adam(1.2e-2), Schedule = LearningRateSchedule.Constant, EvaluateEvery = 100 }
    : Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = new CosineDecay(), EvaluateEvery = 500 };
double[] sparsities = quick ? [0.9] : [0.8, 0.9, 0.95, 0.98];
long[] seeds = quick ? [1] : [1, 2, 3];
Show($"{(quick ? "Quick" : "Full")} mode: {steps:N0} steps per run; sparsities {string.Join(", ", sparsities)}; seeds {string.Join(", ", seeds)}.", cell: 4);

// Cell 5
var mnist = Datasets.Mnist();
ModelFactory lenet = seed => Zoo.LeNet300_100(seed, device: mnist.Device);
var options = new CatalogOptions(Device: mnist.Device);
SweepMethod Method(string catalogName, string label) => MethodCatalog.Create(catalogName, config, options) with { Name = label };
// The methods of the ordering to check, then the others.
var ordering = new List<SweepMethod> { Method("magnitude", "magnitude"), Method("rigl", "RigL"), Method("set", "SET"), Method("static", "static"), Method("random", "random") };
var others = new List<SweepMethod>
{
    Method("snip", "SNIP"), Method("grasp", "GraSP"), Method("synflow", "SynFlow"), Method("magnitude-ste", "magnitude-STE"), Method("structured", "structured"),
};
var methods = ordering.Concat(others).ToList();
// 2:4 has one sparsity, 50%: it runs beside gradual magnitude pruning at 50%; the dense network is the reference.
var atHalf = new List<SweepMethod> { Method("nm-2:4", "2:4"), Method("magnitude", "magnitude") };
var dense = Method("dense", "dense");
var listed = methods.Append(atHalf[0]).ToList();
Show(new DataFrame(
    new StringDataFrameColumn("Method", listed.Select(m => m.Name)),
    new StringDataFrameColumn("Catalog settings", listed.Select(m => m.Settings))), cell: 5);

// Cell 6
// The repository's results/ folder, beside its data/ folder.
var storeFolder = Path.GetFullPath(Path.Combine(DataDirectory.Locate(), "..", "results", "notebooks", quick ? "08-dynamic-and-early-sparsity-quick" : "08-dynamic-and-early-sparsity"));
if (quick && Directory.Exists(storeFolder)) Directory.Delete(storeFolder, recursive: true);
var store = new RunStore(storeFolder);
var clock = System.Diagnostics.Stopwatch.StartNew();
var records = Sweep.Run("dynamic-and-early-sparsity", ordering, sparsities, seeds, lenet, mnist, config, store, Trainer.DefaultProgress()).ToList();
records.AddRange(Sweep.Run("dynamic-and-early-sparsity", others, sparsities, seeds, lenet, mnist, config, store, Trainer.DefaultProgress()));
records.AddRange(Sweep.Run("dynamic-and-early-sparsity", atHalf, [0.5], seeds, lenet, mnist, config, store, Trainer.DefaultProgress()));
records.InsertRange(0, Sweep.Run("dynamic-and-early-sparsity", [dense], [0.0], seeds, lenet, mnist, config, store, Trainer.DefaultProgress()));
clock.Stop();
Show(records, cell: 6);

// Cell 7
Show(records.ComparisonTable(), cell: 7);

// Cell 8
// One row per method and target: the mean achieved sparsity, the theoretical speed-up, and accuracy mean and std.
Show(records.SummaryFrame(r => r.TestAccuracy), cell: 8);

// Cell 9
var byMethod = records.GroupBy(r => r.Kind).ToList();
Show(new DataFrame(
    new StringDataFrameColumn("Method", byMethod.Select(g => g.Key)),
    new Int32DataFrameColumn("Runs", byMethod.Select(g => g.Count())),
    new DoubleDataFrameColumn("SecondsPerRun", byMethod.Select(g => Math.Round(g.Average(r => r.WallSeconds), 1))),
    new DoubleDataFrameColumn("Minutes", byMethod.Select(g => Math.Round(g.Sum(r => r.WallSeconds) / 60, 1)))), cell: 9);

// Cell 10
Show($"{records.Count} runs, {records.Sum(r => r.WallSeconds) / 3600:F2} hours of training in all ({records.Sum(r => r.WallSeconds) / 60:F1} minutes); this cell ran {clock.Elapsed.TotalMinutes:F1} minutes (finished runs load from the store).", cell: 10);

// Cell 11
Show(Charts.AccuracyVsSparsity(records, title: "Dynamic and early sparsity: LeNet-300-100 on MNIST"), cell: 11);

// Cell 12
Show(Charts.AccuracyVsFlops(records, speedup: true, title: "Accuracy versus theoretical speed-up"), cell: 12);

// Cell 13
var summary = RunFrames.Summarise(records);
Spread At(string kind, double sparsity)
{
    var s = summary.Single(s => s.Kind == kind && s.TargetSparsity is { } t && Math.Abs(t - sparsity) < 1e-9);
    return new Spread(s.Mean, s.Std, s.Count);
}
// "≥": A holds unless B is ahead; ">": A holds only when ahead. The replication report's rule (VerdictRule) decides.
(string A, string B, Expectation Expected)[] chain =
    [("magnitude", "RigL", Expectation.AtLeast), ("RigL", "SET", Expectation.Above), ("SET", "static", Expectation.Above), ("static", "random", Expectation.Above)];
var links = (from s in sparsities
             from link in chain
             let comparison = new Comparison(At(link.A, s), At(link.B, s), link.Expected)
             let judged = !double.IsNaN(comparison.StandardError)
             let bound = judged ? VerdictRule.CriticalValue(comparison) * comparison.StandardError : double.NaN
             let verdict = !judged ? "no verdict (one seed)" : comparison.Difference > bound ? $"{link.A} ahead" : comparison.Difference < -bound ? $"{link.B} ahead" : "tied"
             select (Sparsity: s, Claim: $"{link.A} {(link.Expected == Expectation.AtLeast ? "≥" : ">")} {link.B}", comparison.Difference, Bound: bound,
                     Verdict: verdict, Holds: judged && comparison.Verdict == Verdict.Holds, Judged: judged)).ToList();
Show(new DataFrame(
    new StringDataFrameColumn("Sparsity", links.Select(l => $"{l.Sparsity:0%}")),
    new StringDataFrameColumn("Claim", links.Select(l => l.Claim)),
    new StringDataFrameColumn("Difference (points)", links.Select(l => $"{100 * l.Difference:+0.00;-0.00}")),
    new StringDataFrameColumn("Needed: t × SE (points)", links.Select(l => double.IsNaN(l.Bound) ? "" : $"{100 * l.Bound:0.00}")),
    new StringDataFrameColumn("Verdict", links.Select(l => l.Verdict)),
    new StringDataFrameColumn("Holds", links.Select(l => l.Judged ? (l.Holds ? "yes" : "no") : ""))), cell: 13);

// Cell 14
// The answer, computed from the table above.
string Answer()
{
    if (links.Any(l => !l.Judged)) return "No verdict: with one seed the rule has no spread to judge by. Run full mode (three seeds) for the answer.";
    var whole = sparsities.Where(s => links.Where(l => l.Sparsity == s).All(l => l.Holds)).ToList();
    string perLink = string.Join("; ", chain.Select(c =>
    {
        var these = links.Where(l => l.Claim.StartsWith(c.A + " ") && l.Claim.EndsWith(" " + c.B)).ToList();
        var failed = these.Where(l => !l.Holds).Select(l => $"{l.Sparsity:0%} ({l.Verdict})").ToList();
        return $"{these[0].Claim} at {these.Count(l => l.Holds)} of {these.Count}" + (failed.Count > 0 ? $", not at {string.Join(", ", failed)}" : "");
    }));
    string verdict = whole.Count == sparsities.Length ? "Yes: the ordering holds at every sparsity"
        : whole.Count == 0 ? "No: the whole ordering holds at none of the sparsities"
        : $"In part: the whole ordering holds at {string.Join(", ", whole.Select(s => $"{s:0%}"))} only";
    return $"{verdict} (rule: ahead when Welch's t-test at 95% says so, {seeds.Length} seeds, {steps:N0} steps). Link by link: {perLink}.";
}
Show(Answer(), cell: 14);

// Cell 15
Show(records.ToDataFrame(), cell: 15);
