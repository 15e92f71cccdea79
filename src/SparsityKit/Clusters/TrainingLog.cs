using System.Globalization;
using SparsityKit.Experiments;

namespace SparsityKit.Clusters;

/// <summary>
/// Which process trained which run, kept in the store (one file per process under <c>trainings/</c>, so that writers
/// on several machines never share a file): a line when a training starts and one per record it finishes. It tells
/// how often each run was trained, which task a run came from, and where a killed task lost work.
/// </summary>
public sealed class TrainingLog
{
    public const string Folder = "trainings";

    private readonly string _path;
    private readonly string _task;
    private readonly HashSet<string> _started = [];
    private readonly object _gate = new();

    public TrainingLog(RunStore store)
    {
        var folder = Path.Combine(store.Directory, Folder);
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}.tsv");
        _task = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") is { } job
            ? $"{job}_{Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")}" : "-";
    }

    /// <summary>Pass to <see cref="Sweep.Run"/>'s <c>onTrainingStart</c>: logs each training this process starts.</summary>
    public void OnTrainingStart(SweepMethod method, double sparsity, long seed)
    {
        Write("started", method.Name, sparsity, seed);
        lock (_gate) _started.Add(Key(method.Name, method.AtSparsity is null ? sparsity : double.NaN, seed));
    }

    /// <summary>Call with every record the sweep returns: logs those this process trained.</summary>
    public void OnRecord(RunRecord record)
    {
        double target = record.TargetSparsity ?? double.NaN;
        bool ours;
        lock (_gate) ours = _started.Contains(Key(record.Kind, target, record.Seed)) || _started.Contains(Key(record.Kind, double.NaN, record.Seed));
        if (ours) Write("finished", record.Kind, target, record.Seed);
    }

    /// <summary>Pass to <see cref="Lottery.Run"/>'s <c>onTrainingStart</c>: logs the run (by its store name) as this process starts it.</summary>
    public void OnRunStart(string run) => Write("started", run, double.NaN, SeedOf(run));

    /// <summary>Pass to <see cref="Lottery.Run"/>'s <c>onTrained</c>: logs the run as this process has trained and saved it.</summary>
    public void OnRunFinished(string run) => Write("finished", run, double.NaN, SeedOf(run));

    // A lottery run's store name holds its seed chain's folder, "seed<N>-<hash>".
    private static long SeedOf(string run) =>
        System.Text.RegularExpressions.Regex.Match(run, @"(?:^|/)seed(-?\d+)-") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>Every entry of every process's log in the store, oldest first.</summary>
    public static IReadOnlyList<TrainingLogEntry> Read(RunStore store)
    {
        var folder = Path.Combine(store.Directory, Folder);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*.tsv")
            .SelectMany(File.ReadLines)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length == 7)   // a line cut short by a kill is left out
            .Select(f => new TrainingLogEntry(DateTime.Parse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), f[1], f[2], f[3],
                f[4], double.Parse(f[5], CultureInfo.InvariantCulture), long.Parse(f[6], CultureInfo.InvariantCulture)))
            .OrderBy(e => e.Time).ToList();
    }

    private void Write(string what, string kind, double sparsity, long seed)
    {
        var line = string.Join('\t', DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture), what,
            $"{Environment.MachineName}:{Environment.ProcessId}", _task, kind.Replace('\t', ' '),
            sparsity.ToString("R", CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture));
        lock (_gate) File.AppendAllText(_path, line + "\n");
    }

    private static string Key(string kind, double sparsity, long seed) =>
        $"{kind}|{sparsity.ToString("R", CultureInfo.InvariantCulture)}|{seed}";
}

/// <summary>
/// One line of a <see cref="TrainingLog"/>: "started" or "finished", by which process and Slurm task (or "-"). A sweep's
/// run is its method (<paramref name="Kind"/>), target sparsity and seed; a lottery's is its store name (kind), with NaN.
/// </summary>
public sealed record TrainingLogEntry(DateTime Time, string Event, string Process, string Task, string Kind, double Sparsity, long Seed)
{
    /// <summary>The run this entry is about: method name, target sparsity and seed.</summary>
    public string Run => double.IsNaN(Sparsity) ? $"{Kind} seed {Seed}" : $"{Kind} {Sparsity.ToString("R", CultureInfo.InvariantCulture)} seed {Seed}";
}
