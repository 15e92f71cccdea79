using System.Globalization;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Clusters;

/// <summary>
/// The methods a plan can name without a catalog, with the 06 notebook's defaults. Settings (all optional):
/// <list type="bullet">
/// <item><c>magnitude</c>, <c>random</c>: <c>distribution</c> = uniform | uniform-first-dense (the first layer kept dense,
/// as Gale et al.) | global | erk; <c>schedule</c> = gradual (Zhu and Gupta,
/// from <c>begin</c> to <c>end</c> every <c>every</c>, fractions of the steps: 0.1, 0.6, 0.025) | one-shot (at fraction <c>at</c>, 0.5).</item>
/// <item><c>vd</c> (variational dropout, trained once per seed and measured at every target): <c>kl-weight</c> (1),
/// <c>kl-zero-epochs</c> and <c>kl-ramp-epochs</c> (default: full KL weight at min(10, epochs / 2), the first fifth at 0);
/// <c>batch-norm-batches</c>: training batches the batch norms' running statistics are recomputed from before each
/// measurement, without VD's noise (default 100 on a model with batch norm, 0 = off; see <see cref="BatchNormStatistics"/>).</item>
/// <item><c>l0</c>: <c>lambda</c>, or lambda = <c>lambda-scale</c> (0.43) x (1 - sparsity) ^ -<c>lambda-power</c> (0.85).</item>
/// </list>
/// </summary>
public static class BuiltInMethods
{
    public static IReadOnlyList<string> Names { get; } = ["magnitude", "random", "vd", "l0", .. MethodCatalog.Names.Except(["magnitude", "random", "vd", "l0"])];

    public static SweepMethod? Resolve(PlanMethod method, PlanContext context)
    {
        var settings = new Settings(method);
        var steps = context.Plan.Config.Steps;
        SweepMethod? result = method.Name.ToLowerInvariant() switch
        {
            "magnitude" => Pruning(method, settings, steps, (d, s, seed) => new MagnitudePruning(d, s)),
            "random" => Pruning(method, settings, steps, (d, s, seed) => new RandomPruning(d, s, seed)),
            "vd" or "variational-dropout" => VariationalDropoutMethod(method, settings, context),
            "l0" => L0Method(method, settings, context),
            var name when MethodCatalog.Names.Contains(name) => FromCatalog(name, settings, context),
            _ => null,
        };
        if (result is not null) settings.RejectUnused();
        return result;
    }

    // Every other method of the catalog (RigL, SET, SNIP, N:M...) by its catalog name, with its distribution as a setting.
    private static SweepMethod FromCatalog(string name, Settings settings, PlanContext context) =>
        MethodCatalog.Create(name, context.Plan.Config, new CatalogOptions(settings.Has("distribution") ? settings.Text("distribution", "") : null,
            (seed, layers) => context.ModelWith(layers)(seed), context.Device));

    private static SweepMethod Pruning(PlanMethod method, Settings settings, int steps,
        Func<SparsityDistribution, PruningSchedule, long, TrainingMethod> create)
    {
        var distribution = settings.Text("distribution", "uniform") switch
        {
            "uniform" => (Func<double, SparsityDistribution>)SparsityDistribution.Uniform,
            "uniform-first-dense" => sparsity => SparsityDistribution.UniformFirstDense(sparsity),
            "global" => SparsityDistribution.Global,
            "erk" => SparsityDistribution.ErdosRenyiKernel,
            var other => throw settings.Bad("distribution", other, "uniform, uniform-first-dense, global or erk"),
        };
        var schedule = settings.Text("schedule", "gradual") switch
        {
            "gradual" => PruningSchedule.Gradual(
                begin: (long)(settings.Number("begin", 0.1) * steps), end: (long)(settings.Number("end", 0.6) * steps),
                every: Math.Max(1, (long)(settings.Number("every", 0.025) * steps))),
            "one-shot" => PruningSchedule.OneShot((long)(settings.Number("at", 0.5) * steps)),
            var other => throw settings.Bad("schedule", other, "gradual or one-shot"),
        };
        return new SweepMethod(method.DisplayName, (sparsity, seed) => create(distribution(sparsity), schedule, seed));
    }

    private static SweepMethod VariationalDropoutMethod(PlanMethod method, Settings settings, PlanContext context)
    {
        double toFullKl = Math.Min(10, context.Epochs / 2);
        double klWeight = settings.Number("kl-weight", 1);
        var kl = new KlSchedule(settings.Number("kl-zero-epochs", toFullKl / 5), settings.Number("kl-ramp-epochs", toFullKl * 4 / 5));
        // Training gathers the batch norms' statistics on pre-activations with VD's noise; evaluation has none.
        double batchNormBatches = settings.Number("batch-norm-batches", HasBatchNorm(context) ? 100 : 0);
        if (batchNormBatches < 0 || batchNormBatches != Math.Floor(batchNormBatches))
            throw settings.Bad("batch-norm-batches", batchNormBatches.ToString(CultureInfo.InvariantCulture), "a whole number of batches, 0 for none");
        return new SweepMethod(method.DisplayName, (_, _) => new VariationalDropout(klWeight, kl), context.ModelWith(new VariationalDropoutLayers()))
        {
            AtSparsity = VariationalDropout.AtSparsity,
            RecomputeBatchNormBatches = (int)batchNormBatches,
        };
    }

    private static bool HasBatchNorm(PlanContext context)
    {
        using var model = context.Model(0);
        return BatchNormStatistics.Applies(model);
    }

    private static SweepMethod L0Method(PlanMethod method, Settings settings, PlanContext context)
    {
        double? fixedLambda = settings.Has("lambda") ? settings.Number("lambda", 0) : null;
        double scale = settings.Number("lambda-scale", 0.43), power = settings.Number("lambda-power", 0.85);
        return new SweepMethod(method.DisplayName, (sparsity, _) => new L0Regularization(fixedLambda ?? scale * Math.Pow(1 - sparsity, -power)),
            context.ModelWith(new L0Layers()));
    }

    /// <summary>Reads a method's settings and remembers which were read, so that a misspelt one is an error, not ignored.</summary>
    private sealed class Settings(PlanMethod method)
    {
        private readonly HashSet<string> _read = [];

        public bool Has(string key) { _read.Add(key); return method.Settings.ContainsKey(key); }

        public string Text(string key, string fallback) =>
            Has(key) ? method.Settings[key].Trim().ToLowerInvariant() : fallback;

        public double Number(string key, double fallback)
        {
            if (!Has(key)) return fallback;
            var text = method.Settings[key];
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value : throw Bad(key, text, "a finite number written with a point (e.g. 0.25)");
        }

        public ArgumentException Bad(string key, string value, string valid) =>
            new($"Method '{method.DisplayName}' ({method.Name}): setting {key}={value} is not valid; use {valid}.");

        public void RejectUnused()
        {
            var unknown = method.Settings.Keys.Where(k => !_read.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"Method '{method.DisplayName}' ({method.Name}) has no setting(s) {string.Join(", ", unknown)}; " +
                    $"it reads {string.Join(", ", _read)}.");
        }
    }
}
