namespace SparsityKit.Experiments.Replication;

/// <summary>
/// The records of one experiment in one run store, as the replication report found them: null records for a store
/// that does not exist, and how many runs were still claimed (being trained) when it was read.
/// </summary>
/// <param name="Name">What the store holds, in words ("notebook 02: lottery tickets").</param>
/// <param name="Path">Its folder relative to the results folder.</param>
public sealed record ReportStore(string Name, string Path, IReadOnlyList<RunRecord>? Records, int InProgress = 0, int LeftOut = 0)
{
    public bool Exists => Records is not null;

    /// <summary>"missing", "empty", "12 runs, 3 seeds", with "; incomplete: 2 runs started and not finished" when some are claimed.</summary>
    public string State => Records is null ? "missing" : Records.Count == 0 ? "empty"
        : $"{Records.Count} runs, {Plural(Records.Select(r => r.Seed).Distinct().Count(), "seed")}" + InProgressText + LeftOutText;

    private string InProgressText => InProgress == 0 ? ""
        : $"; incomplete: {Plural(InProgress, "run")} started and not finished (training now, or cut off and resuming from " +
          $"{(InProgress == 1 ? "its checkpoint" : "their checkpoints")} when run again)";

    private string LeftOutText => LeftOut == 0 ? "" : $"; {LeftOut} runs at other training settings left out";

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>The wall time of the store's trainings (<see cref="RecordSummary.TrainingSeconds"/>).</summary>
    public double TrainingSeconds => RecordSummary.TrainingSeconds(Records ?? []);

    /// <summary>The training time in hours ("12.40 h"); empty for a store that does not exist.</summary>
    public string TrainingTime => Records is null ? "" : (TrainingSeconds / 3600).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " h";

    /// <summary>
    /// Reads the records of <paramref name="experiment"/> in the store at <paramref name="resultsFolder"/>/<paramref name="path"/>
    /// without writing anything (a missing folder is not created); runs being trained are counted by their claim files.
    /// </summary>
    public static ReportStore Read(string name, string resultsFolder, string path, string experiment)
    {
        var folder = System.IO.Path.Combine(resultsFolder, path);
        if (!Directory.Exists(folder)) return new ReportStore(name, path, null);
        var all = new RunStore(folder).All().Where(r => r.Experiment == experiment).ToList();
        var records = OneSetting(all);
        // Runs in progress of this experiment only: a store may hold several (notebook 07's ResNet-20 and ViT).
        var experimentFolder = System.IO.Path.Combine(folder, RunKey.Slug(experiment));
        int claimed = Directory.EnumerateFiles(Directory.Exists(experimentFolder) ? experimentFolder : folder, "*.claim", SearchOption.AllDirectories).Count();
        return new ReportStore(name, path, records, claimed, all.Count - records.Count);
    }

    /// <summary>
    /// The runs of one training setting: a store that also holds runs of an earlier setting (another step count, say; their
    /// keys differ, so both stay in the store) would otherwise mix the two. Keeps the setting trained longest, the one
    /// nearest the papers'; the setting is the record's "config:" line (less the trial's data seed), which every run of one experiment shares.
    /// </summary>
    public static IReadOnlyList<RunRecord> OneSetting(IReadOnlyList<RunRecord> records)
    {
        // The data seed is the trial's own (each seed its batch order), not a setting: left out of the comparison.
        var groups = records.GroupBy(r => System.Text.RegularExpressions.Regex.Replace(
            r.Config.Split('\n').FirstOrDefault(l => l.StartsWith("config:", StringComparison.Ordinal)) ?? "", @"DataSeed=\d+;?", "")).ToList();
        return groups.Count <= 1 ? records : groups.MaxBy(g => (g.Min(r => r.Steps), g.Count()))!.ToList();
    }

    /// <summary>A store the report does not read in this mode.</summary>
    public static ReportStore NotRead(string name, string path) => new(name, path, null);
}
