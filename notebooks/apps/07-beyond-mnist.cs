// Generated from notebooks/07-beyond-mnist.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/07-beyond-mnist/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/07-beyond-mnist.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/07-beyond-mnist.cs    the papers' settings
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

Begin(chartFolder: "../../artifacts/apps/07-beyond-mnist", dataFolder: "../../data");

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
double[] sparsities = [0.8, 0.9, 0.95];
long[] seeds = quick ? [1] : [1, 2, 3];
// ResNet-20: 8 epochs (3,752 steps at batch 128) of SGD with Nesterov momentum 0.9, learning rate 0.1 on a cosine to 0,
// weight decay 5e-4; no augmentation; kernels stored channels-last (1.2x faster on oneDNN here), in
// the layout of the runs stored before 2026-12-08 (the stem's one-channel kernel left NCHW), so the store's runs stand.
// Quick: 6 steps at batch 32.
var resnetConfig = new TrainConfig
{
    Steps = quick ? 6 : 3_752, BatchSize = quick ? 32 : 128, Optimizer = new Sgd(0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 5e-4),
    Schedule = new CosineDecay(), EvaluateEvery = quick ? 0 : 469, ReportEvery = quick ? 3 : 50, EvaluationBatchSize = 1_000,
    CheckpointEvery = quick ? 0 : 100, ChannelsLast = true, ChannelsLastLeavesAmbiguousKernels = true,
};
// ViT-small: 10 epochs (4,690 steps at batch 128) of Adam 1e-3, one epoch of warm-up, then a cosine to 0.
var vitConfig = new TrainConfig
{
    Steps = quick ? 6 : 4_690, BatchSize = quick ? 32 : 128, Optimizer = new Adam(1e-3),
    Schedule = new CosineDecay(WarmupSteps: quick ? 0 : 469), EvaluateEvery = quick ? 0 : 469, ReportEvery = quick ? 3 : 50,
    EvaluationBatchSize = 1_000, CheckpointEvery = quick ? 0 : 100,
};
Show($"{(quick ? "Quick" : "Full")} mode: ResNet-20 {resnetConfig.Steps:N0} steps, ViT {vitConfig.Steps:N0} steps per run; sparsities {string.Join(", ", sparsities)}; seeds {string.Join(", ", seeds)}.", cell: 4);

// Cell 5
static Dataset FirstImages(Dataset data, int train, int test) =>
    new($"{data.Name} (first {train} training, {test} test images)", data.TrainImages.narrow(0, 0, train), data.TrainLabels.narrow(0, 0, train),
        data.TestImages.narrow(0, 0, test), data.TestLabels.narrow(0, 0, test), data.ClassCount);
var fashion = Datasets.FashionMnist();
var mnist = Datasets.Mnist();
if (quick) (fashion, mnist) = (FirstImages(fashion, 512, 256), FirstImages(mnist, 512, 256));
Show($"{fashion}\n{mnist}", cell: 5);

// Cell 6
ModelFactory Builder(string model, Dataset data, ILayerFactory? layers = null) =>
    seed => Zoo.Create(model, seed, layers: layers, device: data.Device, inputShape: data.ImageShape, classes: data.ClassCount);

List<SweepMethod> SparseMethods(string model, Dataset data, TrainConfig config)
{
    int steps = config.Steps;
    PruningSchedule Gradual() => PruningSchedule.Gradual(begin: steps / 10, end: steps * 6 / 10, every: Math.Max(1, steps / 40));
    double epochs = steps * (double)config.BatchSize / data.TrainCount;
    double epochsToFullKl = Math.Min(10, epochs / 2);
    return
    [
        new("magnitude", (sparsity, seed) => new MagnitudePruning(SparsityDistribution.UniformFirstDense(sparsity), Gradual())),
        new("random", (sparsity, seed) => new RandomPruning(SparsityDistribution.UniformFirstDense(sparsity), Gradual(), seed)),
        new("variational dropout",
            (_, seed) => new VariationalDropout(klWeight: 1, new KlSchedule(ZeroEpochs: epochsToFullKl / 5, RampEpochs: epochsToFullKl * 4 / 5)),
            Builder(model, data, new VariationalDropoutLayers()))
        {
            AtSparsity = VariationalDropout.AtSparsity,
            // Training gathers the batch norms' statistics on noisy pre-activations; evaluation has no noise.
            RecomputeBatchNormBatches = quick ? 2 : 100,
        },
    ];
}

// The repository's results/ folder, beside its data/ folder; quick mode starts afresh each time.
var storeFolder = Path.GetFullPath(Path.Combine(DataDirectory.Locate(), "..", "results", "notebooks", quick ? "07-beyond-mnist-quick" : "07-beyond-mnist"));
if (quick && Directory.Exists(storeFolder)) Directory.Delete(storeFolder, recursive: true);
var store = new RunStore(storeFolder);

List<RunRecord> Study(string experiment, string model, Dataset data, TrainConfig config)
{
    // Seed by seed (a run's key does not depend on the order), so a full run cut short has every method for its first seeds.
    var (dense, sparse) = (new List<RunRecord>(), new List<RunRecord>());
    foreach (var seed in seeds)
    {
        dense.AddRange(Sweep.Run(experiment, [new SweepMethod("dense", (_, _) => new DenseTraining())], [0.0], [seed], Builder(model, data), data,
            config, store, Trainer.DefaultProgress()));
        sparse.AddRange(Sweep.Run(experiment, SparseMethods(model, data, config), sparsities, [seed], Builder(model, data), data, config, store,
            Trainer.DefaultProgress()));
    }
    return [.. dense, .. sparse];
}
Show(string.Join(", ", SparseMethods("resnet20", fashion, resnetConfig).Select(m => m.Name).Prepend("dense")), cell: 6);

// Cell 7
var resnet = Study("resnet20 fashion-mnist", "resnet20", fashion, resnetConfig);
Show(resnet, cell: 7);

// Cell 8
// Final test accuracy (%), mean ± std over seeds, per method and target sparsity.
Show(resnet.ComparisonTable(), cell: 8);

// Cell 9
// What each ResNet-20 run costs: wall time of one run in minutes, mean ± std over seeds (variational dropout trains once for all
// three targets, so its three cells are one training's time). A run resumed from a checkpoint counts only time spent training.
Show(resnet.ComparisonTable(r => r.WallSeconds / 60, unit: "minutes", digits: 1), cell: 9);

// Cell 10
Show(Charts.AccuracyVsSparsity(resnet, title: "ResNet-20 on Fashion-MNIST"), cell: 10);

// Cell 11
var vit = Study("vit-small mnist", "vit-small", mnist, vitConfig);
Show(vit.ComparisonTable(), cell: 11);

// Cell 12
// What each ViT-small run costs: wall time of one run in minutes, mean ± std over seeds (variational dropout trains once for all
// three targets, so its three cells are one training's time). A run resumed from a checkpoint counts only time spent training.
Show(vit.ComparisonTable(r => r.WallSeconds / 60, unit: "minutes", digits: 1), cell: 12);

// Cell 13
Show(Charts.AccuracyVsSparsity(vit, title: "ViT-small on MNIST"), cell: 13);

// Cell 14
double AboutEqual = 0.01;   // one point of accuracy
string Answer(string title, IReadOnlyList<RunRecord> records)
{
    double Mean(string kind, double target) =>
        records.Where(r => r.Kind == kind && r.TargetSparsity is double t && Math.Abs(t - target) < 1e-9).Average(r => r.TestAccuracy);
    double dense = records.Where(r => r.Kind == "dense").Average(r => r.TestAccuracy);
    var lines = new List<string> { $"{title}: dense {dense:P2}" };
    var gaps = new List<double>();
    bool equal = true, above = true;
    foreach (var s in sparsities)
    {
        double magnitude = Mean("magnitude", s), vd = Mean("variational dropout", s), random = Mean("random", s);
        gaps.Add(Math.Min(magnitude, vd) - random);
        equal &= Math.Abs(magnitude - vd) <= AboutEqual;
        above &= magnitude > random && vd > random;
        lines.Add($"  {s:P0}: magnitude {magnitude:P2}, variational dropout {vd:P2}, random {random:P2}; " +
            $"magnitude - VD {100 * (magnitude - vd):+0.00;-0.00} points, weaker of the two - random {100 * gaps[^1]:+0.00;-0.00} points");
    }
    bool growing = gaps.Zip(gaps.Skip(1)).All(pair => pair.Second > pair.First);
    string Says(bool holds) => holds ? "holds" : "does not hold";
    lines.Add($"  magnitude about equal to VD (within {100 * AboutEqual:0} point): {Says(equal)}; both above random: {Says(above)}; " +
        $"the gap to random grows with sparsity: {Says(growing)}.");
    return string.Join("\n", lines);
}
Show((quick ? "Quick mode: a few steps per run, so these numbers say nothing about the methods; full mode answers the question.\n" : "") +
    Answer("ResNet-20 on Fashion-MNIST", resnet) + "\n" + Answer("ViT-small on MNIST", vit), cell: 14);
