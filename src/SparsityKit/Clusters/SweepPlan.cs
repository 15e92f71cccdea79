using System.Text.Json;
using System.Text.Json.Serialization;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Clusters;

/// <summary>
/// A sweep as data: experiment name, model (a <see cref="Zoo"/> name), data (<see cref="DataSpec"/>), methods by
/// registry name with their settings, sparsities, seeds and training config. Saved into a run store as
/// <c>sweep.plan</c>, it lets any process on any node rebuild exactly the same runs and call <see cref="Sweep.Run"/>:
/// the plan's workers, and the notebook that reads the results.
/// </summary>
public sealed record SweepPlan : IClusterPlan
{
    /// <summary>The plan file's name in the store (JSON, but not *.json, which the store reads as records).</summary>
    public const string FileName = "sweep.plan";

    public required string Experiment { get; init; }

    /// <summary>A <see cref="Zoo.Names"/> model.</summary>
    public string Model { get; init; } = "lenet300-100";

    public required DataSpec Data { get; init; }

    public required IReadOnlyList<PlanMethod> Methods { get; init; }

    public required IReadOnlyList<double> Sparsities { get; init; }

    public required IReadOnlyList<long> Seeds { get; init; }

    public TrainConfig Config { get; init; } = new();

    /// <summary>libtorch threads per process (results are bit-identical on CPU only at one thread count); null leaves it.</summary>
    public int? Threads { get; init; }

    /// <summary>Runs the plan holds: methods x sparsities x seeds.</summary>
    [JsonIgnore]
    public int RunCount => Methods.Count * Sparsities.Count * Seeds.Count;

    string IClusterPlan.FileName => FileName;

    /// <summary>The store names of the plan's runs, in <see cref="Run"/>'s order (loads the data, resolves the methods).</summary>
    public IReadOnlyList<string> RunNames()
    {
        Validate(portable: false);
        var data = Data.Open();
        using var _ = data as IDisposable;
        var context = new PlanContext(this, data);
        var methods = Methods.Select(m => PlanMethods.Resolve(m, context)).ToList();
        return Sweep.RunNames(Experiment, methods, Sparsities, Seeds, context.Model, data, Config);
    }

    IReadOnlyList<RunRecord> IClusterPlan.Run(RunStore store, IProgress<TrainingProgress>? progress, TimeSpan? poll, TrainingLog? log) =>
        Run(store, progress, poll: poll, log: log);

    /// <summary>
    /// Runs the plan (the part not in the store yet) in this process, exactly as a worker does, and returns every
    /// record; several processes (workers) on one store split it. Ad-hoc methods are allowed here.
    /// </summary>
    public IReadOnlyList<RunRecord> Run(RunStore store, IProgress<TrainingProgress>? progress = null, Action<RunRecord>? onRecord = null,
        TimeSpan? poll = null, TrainingLog? log = null, Device? device = null)
    {
        Validate(portable: false);
        var data = Data.Open(device);
        using var _ = data as IDisposable;
        var context = new PlanContext(this, data);
        var methods = Methods.Select(m => PlanMethods.Resolve(m, context)).ToList();
        int threads = torch.get_num_threads();
        if (Threads is int t) torch.set_num_threads(t);
        try
        {
            return Sweep.Run(Experiment, methods, Sparsities, Seeds, context.Model, data, Config, store,
                progress: progress, onRecord: record => { log?.OnRecord(record); onRecord?.Invoke(record); }, poll: poll,
                onTrainingStart: log is null ? null : log.OnTrainingStart);
        }
        finally { torch.set_num_threads(threads); }
    }

    /// <summary>
    /// Checks the plan: known model and data, sparsities in [0, 1), no duplicates, a valid training config and, when
    /// <paramref name="portable"/>, that every method is named (no ad-hoc lambda), resolves, and that the plan survives
    /// a round trip through its file unchanged. Throws <see cref="ArgumentException"/> naming the problem and the fix.
    /// </summary>
    public void Validate(bool portable = true)
    {
        if (string.IsNullOrWhiteSpace(Experiment)) throw new ArgumentException("The plan needs an experiment name.", nameof(Experiment));
        try { Zoo.Find(Model ?? ""); }   // the zoo's own name matching (case, punctuation, aliases)
        catch (ArgumentException e) { throw new ArgumentException($"Plan '{Experiment}': {e.Message}", nameof(Model), e); }
        Data.Validate();
        Config.Validate();
        if (Methods.Count == 0 || Sparsities.Count == 0 || Seeds.Count == 0)
            throw new ArgumentException($"Plan '{Experiment}' has {Methods.Count} methods, {Sparsities.Count} sparsities and {Seeds.Count} seeds; it needs at least one of each.");
        foreach (var s in Sparsities)
            if (!(s >= 0 && s < 1)) throw new ArgumentOutOfRangeException(nameof(Sparsities), s, "Target sparsities must lie in [0, 1).");
        Distinct(Sparsities.Select(s => Math.Round(s, 4).ToString("R")), "sparsity (to 4 decimals)");
        Distinct(Seeds.Select(s => s.ToString()), "seed");
        Distinct(Methods.Select(m => m.DisplayName.ToLowerInvariant()), "method name (a label tells two settings of one method apart)");
        if (Threads is <= 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Use a positive thread count, or null to leave it.");
        if (!portable) return;

        var adHoc = Methods.Where(m => m.AdHoc is not null).Select(m => $"'{m.Name}'").ToList();
        if (adHoc.Count > 0)
            throw new ArgumentException(
                $"Plan '{Experiment}' cannot go to a cluster: method(s) {string.Join(", ", adHoc)} are ad-hoc SweepMethods (lambdas), which a worker " +
                "on another machine cannot rebuild. Name them instead, e.g. PlanMethod.Of(\"magnitude\", settings: (\"distribution\", \"global\")) " +
                $"(known names: {string.Join(", ", BuiltInMethods.Names)}), or run this plan locally with plan.Run(store).");
        var context = new PlanContext(this, CPU, Data.TrainingExamples);
        foreach (var method in Methods) PlanMethods.Resolve(method, context);
        var again = FromJson(ToJson(), "the plan's own JSON");
        if (again.ToJson() != ToJson())
            throw new ArgumentException($"Plan '{Experiment}' does not survive being written to {FileName} and read back (its training config " +
                "holds a type the plan file cannot describe); use the library's optimizers and schedules.");
    }

    public string ToJson() => JsonSerializer.Serialize(this, PlanJson.Options);

    /// <summary>Reads a plan; <paramref name="source"/> (a path) names it in errors.</summary>
    public static SweepPlan FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<SweepPlan>(json, PlanJson.Options)
                ?? throw new InvalidDataException($"{source} holds no plan (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a readable sweep plan: {e.Message} Write it again with plan.Save(store).", e);
        }
    }

    /// <summary>
    /// Writes the plan into the store (after <see cref="Validate"/>), atomically. A store holds one plan: saving a
    /// different plan over it is refused (use another store folder, or delete its sweep.plan to replace it).
    /// </summary>
    public void Save(RunStore store) => ClusterPlans.Save(this, store);

    /// <summary>The plan saved in the store; a clear error if there is none.</summary>
    public static SweepPlan Load(RunStore store)
    {
        var path = PathIn(store);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No sweep plan in {store.Directory} (expected {FileName}). Save one with plan.Save(store) " +
                "or submit it with Cluster.Submit, and point the worker at that store.", path);
        return FromJson(File.ReadAllText(path), path);
    }

    public static string PathIn(RunStore store) => Path.Combine(store.Directory, FileName);

    public override string ToString() =>
        $"{Experiment}: {Model} on {Data.Name}, {Config.Steps} steps; methods {string.Join(", ", Methods)}; " +
        $"sparsities {string.Join(", ", Sparsities)}; seeds {string.Join(", ", Seeds)} ({RunCount} runs)";

    private void Distinct(IEnumerable<string> values, string what)
    {
        var repeated = values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
            throw new ArgumentException($"Plan '{Experiment}' repeats {what}: {string.Join(", ", repeated)}. Give each once.");
    }
}
