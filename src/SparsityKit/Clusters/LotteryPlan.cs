using System.Text.Json;
using System.Text.Json.Serialization;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Clusters;

/// <summary>
/// A lottery-ticket experiment as data (<see cref="Lottery.Run"/>'s arguments by name): model (a <see cref="Zoo"/>
/// name), data (<see cref="DataSpec"/>), training config and <see cref="LotteryConfig"/> (rounds, rates, rewind step,
/// controls, seeds, batch order). Saved into a run store as <c>lottery.plan</c>, it lets any process rebuild the same
/// runs. A seed's rounds are a chain (each round's mask comes from the one before), so workers split the plan by seed:
/// one array task per seed is the natural size of a job array.
/// </summary>
public sealed record LotteryPlan : IClusterPlan
{
    /// <summary>The plan file's name in the store (JSON, but not *.json, which the store reads as records).</summary>
    public const string FileName = "lottery.plan";

    public required string Experiment { get; init; }

    /// <summary>A <see cref="Zoo.Names"/> model.</summary>
    public string Model { get; init; } = "lenet300-100";

    public required DataSpec Data { get; init; }

    public TrainConfig Config { get; init; } = new();

    /// <summary>Rounds, rates, rewind step, controls and seeds.</summary>
    public required LotteryConfig Lottery { get; init; }

    /// <inheritdoc/>
    public int? Threads { get; init; }

    /// <summary>Per seed: the dense run, then per round the ticket and one run per control.</summary>
    [JsonIgnore]
    public int RunCount => Lottery.Seeds.Count * (1 + Lottery.Rounds * (1 + ControlCount));

    string IClusterPlan.FileName => FileName;

    private int ControlCount => Enum.GetValues<LotteryControls>().Count(c => c is not (LotteryControls.None or LotteryControls.All) && Lottery.Controls.HasFlag(c));

    /// <summary>Runs the experiment (the part not in the store yet) in this process, exactly as a worker does.</summary>
    public LotteryResult Run(RunStore store, IProgress<TrainingProgress>? progress = null, TimeSpan? poll = null, TrainingLog? log = null, Device? device = null)
    {
        Validate(portable: false);
        using var data = Data.Load(device);
        int threads = torch.get_num_threads();
        if (Threads is int t) torch.set_num_threads(t);
        try
        {
            return Experiments.Lottery.Run(Experiment, Data.ModelFactory(Model, data.Device), data, Config, Lottery, store, progress, poll,
                onTrainingStart: log is null ? null : log.OnRunStart, onTrained: log is null ? null : log.OnRunFinished);
        }
        finally { torch.set_num_threads(threads); }
    }

    IReadOnlyList<RunRecord> IClusterPlan.Run(RunStore store, IProgress<TrainingProgress>? progress, TimeSpan? poll, TrainingLog? log) =>
        Run(store, progress, poll, log).Records;

    /// <summary>The store names of the plan's runs, in the order of <see cref="Run"/>'s records (loads the data).</summary>
    public IReadOnlyList<string> RunNames()
    {
        Validate(portable: false);
        using var data = Data.Load();
        return Experiments.Lottery.RunNames(Experiment, Data.ModelFactory(Model, data.Device), data, Config, Lottery);
    }

    /// <summary>
    /// Checks the plan: known model and data, valid training and lottery configs, a rewind step inside the training, each
    /// seed once and, when <paramref name="portable"/>, that the plan survives a round trip through its file unchanged.
    /// </summary>
    public void Validate(bool portable = true)
    {
        if (string.IsNullOrWhiteSpace(Experiment)) throw new ArgumentException("The plan needs an experiment name.", nameof(Experiment));
        try { Zoo.Find(Model ?? ""); }   // the zoo's own name matching (case, punctuation, aliases)
        catch (ArgumentException e) { throw new ArgumentException($"Plan '{Experiment}': {e.Message}", nameof(Model), e); }
        Data.Validate();
        if (!Data.IsWholeTensors)
            throw new ArgumentException($"Plan '{Experiment}': a lottery plan holds its data as whole tensors (for the validation split), and " +
                $"'{Data.Name}' is streamed from disk. Run the image folder in a SweepPlan, or convert it to a data set the plan loads.", nameof(Data));
        Config.Validate();
        Lottery.Validate();
        if (Lottery.RewindStep > Config.Steps)
            throw new ArgumentException($"Plan '{Experiment}' rewinds to step {Lottery.RewindStep} of a {Config.Steps}-step training: " +
                "use a rewind step within the training.", nameof(Lottery));
        if (Lottery.Seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1) is { } seed)
            throw new ArgumentException($"Plan '{Experiment}' repeats seed {seed.Key}. Give each once.", nameof(Lottery));
        if (Threads is <= 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Use a positive thread count, or null to leave it.");
        if (!portable) return;
        var again = FromJson(ToJson(), "the plan's own JSON");
        if (again.ToJson() != ToJson())
            throw new ArgumentException($"Plan '{Experiment}' does not survive being written to {FileName} and read back (its training config " +
                "holds a type the plan file cannot describe); use the library's optimizers and schedules.");
    }

    public string ToJson() => JsonSerializer.Serialize(this, PlanJson.Options);

    /// <summary>Reads a plan; <paramref name="source"/> (a path) names it in errors.</summary>
    public static LotteryPlan FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<LotteryPlan>(json, PlanJson.Options)
                ?? throw new InvalidDataException($"{source} holds no plan (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a readable lottery plan: {e.Message} Write it again with plan.Save(store).", e);
        }
    }

    /// <summary>Writes the plan into the store (after <see cref="Validate"/>), atomically; a store holds one plan.</summary>
    public void Save(RunStore store) => ClusterPlans.Save(this, store);

    /// <summary>The lottery plan saved in the store; a clear error if there is none.</summary>
    public static LotteryPlan Load(RunStore store) =>
        ClusterPlans.Load(store) as LotteryPlan
        ?? throw new InvalidDataException($"{store.Directory} holds a sweep plan, not a lottery plan: load it with ClusterPlans.Load or SweepPlan.Load.");

    public override string ToString() =>
        $"{Experiment}: lottery on {Model}, {Data.Name}, {Config.Steps} steps; {Lottery} ({RunCount} runs)";
}
