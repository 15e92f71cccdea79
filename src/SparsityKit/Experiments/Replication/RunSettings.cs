using System.Globalization;
using System.Text.RegularExpressions;

namespace SparsityKit.Experiments.Replication;

/// <summary>
/// The settings of a set of runs that a replication's verdict may hinge on, read from the records themselves (their
/// steps, and their canonical <see cref="RunRecord.Config"/> text), so that the report's explanations are computed too.
/// </summary>
public sealed record RunSettings(long Steps, long? EvaluateEvery, int? BatchSize, double? LearningRate, string? Optimizer, bool? SeedSetsBatchOrder, int Trials)
{
    public static RunSettings Of(IReadOnlyCollection<RunRecord> records)
    {
        var config = records.Select(r => r.Config).FirstOrDefault(c => !string.IsNullOrEmpty(c)) ?? "";
        string? Field(string name) => Regex.Match(config, $@"\b{name}=([^;{{}}\n]+)") is { Success: true } m ? m.Groups[1].Value : null;
        long? Long(string name) => long.TryParse(Field(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        return new RunSettings(
            Steps: records.Count == 0 ? 0 : records.Max(r => r.Steps),
            EvaluateEvery: Long("EvaluateEvery"),
            BatchSize: (int?)Long("BatchSize"),
            LearningRate: double.TryParse(Field("LearningRate"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) ? lr : null,
            Optimizer: Regex.Match(config, @"\bOptimizer=(\w+)\{") is { Success: true } o ? o.Groups[1].Value : null,
            SeedSetsBatchOrder: bool.TryParse(Field("SeedSetsBatchOrder"), out var b) ? b : null,
            Trials: records.Select(r => r.Seed).Distinct().Count());
    }

    /// <summary>
    /// The settings that differ from the paper's, in words ("5,000 steps (paper 50,000)"); empty if every one checked matches.
    /// Pass null for a setting the paper does not fix.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(long? steps = null, long? evaluateEvery = null, int? batchSize = null,
        double? learningRate = null, string? optimizer = null, bool? seedSetsBatchOrder = null, int? trials = null)
    {
        var list = new List<string>();
        if (steps is { } s && Steps != s) list.Add($"{Steps:N0} steps per run (paper {s:N0})");
        if (evaluateEvery is { } e && EvaluateEvery is { } k && k != e) list.Add($"evaluation every {k:N0} steps (paper {e:N0}): the early-stopping step can only be a multiple of it");
        if (batchSize is { } bs && BatchSize is { } kb && kb != bs) list.Add($"batch {kb} (paper {bs})");
        if (optimizer is { } opt && Optimizer is { } ko && !ko.Equals(opt, StringComparison.OrdinalIgnoreCase)) list.Add($"optimizer {ko} (paper {opt})");
        if (learningRate is { } lr && LearningRate is { } kl && Math.Abs(kl - lr) > 1e-12) list.Add($"learning rate {kl:G3} (paper {lr:G3})");
        if (seedSetsBatchOrder == true && SeedSetsBatchOrder == false) list.Add("every trial sees the same batch order (paper: each trial its own), so the spread is the initialisation's alone");
        if (trials is { } t && Trials < t) list.Add($"{Trials} trial{(Trials == 1 ? "" : "s")} (paper {t})");
        return list;
    }

    /// <summary>The explanation of a claim that does not hold: the differing settings, or that none of those checked differ.</summary>
    public static string Explain(Verdict verdict, IReadOnlyList<string> differences, string checkedSettings) =>
        verdict is Verdict.Holds or Verdict.NotRun ? ""
        : differences.Count > 0 ? "Settings that differ from the paper's: " + string.Join("; ", differences) + "."
        : $"The settings checked ({checkedSettings}) match the paper's.";
}
