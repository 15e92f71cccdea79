using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// Every method of SparsityKit under one name each, as a <see cref="SweepMethod"/> (so sweeps and run stores take it).
/// A method's settings (distribution, schedule, criterion) are in its <see cref="SweepMethod.Settings"/> and in its
/// <see cref="SweepMethod.Name"/> ("rigl (erk, ...)"), so runs with other settings never share a run-store key.
/// Schedules scale with the training length: gradual pruning prunes from 10% to 60% of training, every 2.5%.
/// </summary>
public static class MethodCatalog
{
    /// <summary>The catalog's names with a one-line description each (nm-N:M takes any pattern, e.g. nm-1:4, nm-4:8).</summary>
    public static IReadOnlyList<CatalogEntry> Entries { get; } =
    [
        new("dense", "no pruning: the dense reference"),
        new("magnitude", "gradual magnitude pruning (Zhu and Gupta's cubic schedule), uniform over layers"),
        new("random", "gradual random pruning on the same schedule: the baseline to beat"),
        new("vd", "sparse variational dropout (Molchanov et al.), log-alpha threshold moved to the target"),
        new("l0", "L0 regularization with hard-concrete gates (Louizos et al.), gates closed to the target at the end"),
        new("set", "SET: sparse from a random ERK mask, drop smallest |w|, grow at random (RigL's schedule)"),
        new("rigl", "RigL: sparse from a random ERK mask, drop smallest |w|, grow largest |dense gradient|"),
        new("static", "static sparse: a random ERK mask fixed for all of training"),
        new("snip", "SNIP at init: |g * w| on 100 examples, global, then a fixed mask"),
        new("grasp", "GraSP at init: -w * Hg on 100 examples (T = 200), global, then a fixed mask"),
        new("synflow", "SynFlow at init: data-free synaptic flow, 100 rounds on an exponential schedule, global"),
        new("magnitude-init", "magnitude at init: smallest |w| of the initial weights, global, then a fixed mask"),
        new("magnitude-ste", "straight-through magnitude: sparse top-k forward, dense weights updated, gradual schedule"),
        new("nm-2:4", "2:4 semi-structured magnitude pruning along the input dimension, gradual (always 50%)"),
        new("structured", "gradual structured pruning of whole neurons and filters by L1 norm"),
    ];

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToList();

    /// <summary>The one-line description of a name.</summary>
    public static string Describe(string name) => Find(name).Description;

    /// <summary>
    /// The named method as a sweep method for trainings of <paramref name="config"/> (its steps set the schedules; its
    /// batch size the KL annealing of variational dropout). Create(target sparsity, seed) then gives the training hook.
    /// </summary>
    public static SweepMethod Create(string name, TrainConfig config, CatalogOptions? options = null)
    {
        Find(name);
        options ??= new CatalogOptions();
        int steps = config.Steps;
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(config), steps, "The catalog's schedules need a training of at least one step.");
        var architecture = options.Architecture ?? ((seed, layers) => Zoo.LeNet300_100(seed, layers, options.Device));
        long begin = steps / 10, end = Math.Max(begin + 1, steps * 6 / 10), every = Math.Max(1, steps / 40);
        PruningSchedule Gradual() => PruningSchedule.Gradual(begin, end, every);
        string gradual = $"gradual {begin}-{end} every {every}";
        string Dist(string fallback) => options.Distribution ?? fallback;
        var dst = options.DropAndGrow ?? DropAndGrowSchedule.RigL;
        dst.Validate();
        string dstText = $"every {dst.UpdateEvery}, drop {dst.DropFraction} cosine, until {dst.EndFraction:0.####}";

        SweepMethod Make(string settings, Func<double, long, TrainingMethod> create, ModelFactory? model = null) =>
            new(settings.Length == 0 ? name : $"{name} ({settings})", create, model) { Settings = settings };

        if (name.StartsWith("nm-", StringComparison.Ordinal))
        {
            var pattern = NMSparsity.Parse(name[3..]);
            return Make($"{pattern}, magnitude, {gradual}", (_, _) =>
                new ScheduledPruning(pattern.Distribution(), Gradual(), pattern.Criterion(PruningCriterion.Magnitude)));
        }
        switch (name)
        {
            case "dense":
                return Make("", (_, _) => new DenseTraining());
            case "magnitude":
                return Make($"{Dist("uniform")}, {gradual}", (s, _) => new MagnitudePruning(Distribution(Dist("uniform"), s), Gradual()));
            case "random":
                return Make($"{Dist("uniform")}, {gradual}", (s, seed) => new RandomPruning(Distribution(Dist("uniform"), s), Gradual(), seed));
            case "vd":
            {
                double epochs = (double)steps * config.BatchSize / 60_000;
                double full = Math.Min(10, epochs / 2);
                var kl = new KlSchedule(ZeroEpochs: full / 5, RampEpochs: full * 4 / 5);
                return Make($"KL 1, annealed over {full:0.##} epochs", (_, _) => new VariationalDropout(1, kl),
                    seed => architecture(seed, new VariationalDropoutLayers())) with { AtSparsity = VariationalDropout.AtSparsity };
            }
            case "l0":
                // lambda from a map fitted to three 30-epoch runs (see notebook 06); a short run closes gates to the target at the end.
                return Make("lambda 0.43 (1 - s)^-0.85, closed to target", (s, _) => new L0ToTarget(0.43 * Math.Pow(1 - s, -0.85), s),
                    seed => architecture(seed, new L0Layers()));
            case "set":
                return Make($"{Dist("erk")}, {dstText}", (s, seed) => new SparseEvolutionaryTraining(Distribution(Dist("erk"), s), seed, dst));
            case "rigl":
                return Make($"{Dist("erk")}, {dstText}", (s, seed) => new RiggedLottery(Distribution(Dist("erk"), s), seed, dst));
            case "static":
                return Make(Dist("erk"), (s, seed) => new StaticSparseTraining(Distribution(Dist("erk"), s), seed));
            case "snip":
                return Make($"{Dist("global")}, 100 examples", (s, seed) =>
                    new PruningAtInitialization(InitializationCriterion.Snip(), Distribution(Dist("global"), s), seed));
            case "grasp":
                return Make($"{Dist("global")}, 100 examples, T 200", (s, seed) =>
                    new PruningAtInitialization(InitializationCriterion.Grasp(), Distribution(Dist("global"), s), seed));
            case "synflow":
                return Make($"{Dist("global")}, 100 rounds", (s, seed) =>
                    new PruningAtInitialization(InitializationCriterion.SynFlow(), Distribution(Dist("global"), s), seed));
            case "magnitude-init":
                return Make(Dist("global"), (s, _) => new MagnitudePruning(Distribution(Dist("global"), s), PruningSchedule.OneShot(0)));
            case "magnitude-ste":
                return Make($"{Dist("uniform")}, {gradual}", (s, _) => new MagnitudeStraightThrough(Distribution(Dist("uniform"), s), Gradual()));
            case "structured":
                return Make($"L1, {gradual}", (s, _) => new StructuredPruning(s, Gradual(), UnitNorm.L1));
            default:
                throw new InvalidOperationException($"The catalog lists '{name}' but cannot build it.");
        }
    }

    /// <summary>A distribution by its catalog name at sparsity <paramref name="sparsity"/>.</summary>
    public static SparsityDistribution Distribution(string name, double sparsity) => name switch
    {
        "uniform" => SparsityDistribution.Uniform(sparsity),
        "first-layer-dense" => SparsityDistribution.UniformFirstDense(sparsity),
        "erk" => SparsityDistribution.ErdosRenyiKernel(sparsity),
        "er" => SparsityDistribution.ErdosRenyi(sparsity),
        "global" => SparsityDistribution.Global(sparsity),
        _ => throw new ArgumentException($"Unknown distribution '{name}': use one of {string.Join(", ", CatalogOptions.DistributionNames)}.", nameof(name)),
    };

    private static CatalogEntry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name == name)
        ?? (name.StartsWith("nm-", StringComparison.Ordinal) && IsPattern(name[3..]) ? new CatalogEntry(name, $"{name[3..]} semi-structured magnitude pruning, gradual") : null)
        ?? throw new ArgumentException($"Unknown method '{name}'. Methods: {string.Join(", ", Names)} (nm-N:M takes any pattern, e.g. nm-1:4).", nameof(name));

    private static bool IsPattern(string text)
    {
        try { NMSparsity.Parse(text); return true; }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException) { return false; }
    }
}
