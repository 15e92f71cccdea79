namespace SparsityKit.Clusters;

/// <summary>
/// How <see cref="Cluster.Submit"/> asks Slurm for a plan's workers: one job array, one worker per task, each on
/// <see cref="CpusPerTask"/> cores (and <see cref="GpusPerTask"/> GPUs), requeued by Slurm if its node fails.
/// </summary>
public sealed record SlurmOptions
{
    /// <summary>Array tasks, i.e. workers that split the plan (more than a sweep's runs, or a lottery's seeds, gains nothing).</summary>
    public int Tasks { get; init; } = 2;

    /// <summary>At most this many tasks at once (sbatch's <c>--array=0-N%K</c>); null: as many as Slurm allows.</summary>
    public int? MaxConcurrent { get; init; }

    public string? Partition { get; init; }
    public string? Account { get; init; }

    /// <summary>Wall-clock limit of each task (a task that reaches it is killed; resubmit and the plan resumes).</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Memory per task in Slurm's notation, e.g. "8G".</summary>
    public string? Memory { get; init; }

    /// <summary>CPU cores per task; null: the plan's <see cref="SweepPlan.Threads"/>, or 1.</summary>
    public int? CpusPerTask { get; init; }

    /// <summary>GPUs per task (<c>--gpus-per-task</c>); the worker must then be a CUDA build (see README).</summary>
    public int? GpusPerTask { get; init; }

    public string? JobName { get; init; }

    /// <summary>Shell lines run before the worker in each task: <c>module load dotnet/10</c>, <c>export VAR=...</c>, <c>source env.sh</c>.</summary>
    public IReadOnlyList<string> SetupLines { get; init; } = [];

    /// <summary>More sbatch options, one per line, e.g. <c>--constraint=a100</c> or <c>--qos=short</c>.</summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = [];

    /// <summary>
    /// The built worker program, SparsityKit.Train.dll, on the shared filesystem. Default: <c>$SPARSITYKIT_WORKER_DLL</c>,
    /// else the Release build in the repository above the current folder (build it once before submitting, so that the
    /// tasks do not build it concurrently).
    /// </summary>
    public string? WorkerDll { get; init; }

    /// <summary>The <c>dotnet</c> host that runs the worker on the nodes. Default: the one running this process, else <c>dotnet</c> on the PATH.</summary>
    public string? Dotnet { get; init; }

    /// <summary>The tasks' working folder (shared); default the repository root above the worker, else the current folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How often a worker with nothing left to claim looks for the others' results (and for stale claims).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Write and print the script, but do not submit it.</summary>
    public bool DryRun { get; init; }

    /// <summary>The sbatch command (a path, or a name on the PATH).</summary>
    public string Sbatch { get; init; } = "sbatch";

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (Tasks < 1) throw new ArgumentOutOfRangeException(nameof(Tasks), Tasks, "At least one task (worker) is needed.");
        if (MaxConcurrent is < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrent), MaxConcurrent, "Use a positive count, or null for no limit.");
        if (CpusPerTask is < 1) throw new ArgumentOutOfRangeException(nameof(CpusPerTask), CpusPerTask, "Use a positive count.");
        if (GpusPerTask is < 0) throw new ArgumentOutOfRangeException(nameof(GpusPerTask), GpusPerTask, "Use 0 or more, or null.");
        if (TimeLimit is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeLimit), t, "Use a positive time limit, or null.");
        if (Poll <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Poll), Poll, "The poll interval must be positive.");
        foreach (var line in ExtraOptions)
            if (!line.StartsWith('-') || line.Contains('\n'))
                throw new ArgumentException($"Extra sbatch option '{line}' must be one option starting with '-', e.g. --qos=short.", nameof(ExtraOptions));
    }
}
