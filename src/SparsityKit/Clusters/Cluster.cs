using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using SparsityKit.Data;
using SparsityKit.Experiments;

namespace SparsityKit.Clusters;

/// <summary>
/// Runs a <see cref="SweepPlan"/> or <see cref="LotteryPlan"/> on a Slurm cluster: <see cref="Submit"/> saves the plan into a run store on the
/// shared filesystem and submits a job array of workers (<c>SparsityKit.Train worker --store DIR</c>),
/// <see cref="Status"/> reads the tasks' states and the store's progress, and <see cref="Wait"/> returns the
/// records once every run is done, as the plan's own <c>Run</c> would have locally.
/// </summary>
public static class Cluster
{
    /// <summary>The store's folder for the scripts and the tasks' output files.</summary>
    public const string LogFolder = "slurm";

    /// <summary>
    /// Checks the plan (every method named, see <see cref="SweepPlan.Validate"/>) and the options before anything is
    /// submitted, saves the plan into <paramref name="store"/>, writes the sbatch script beside it and submits it
    /// (with <see cref="SlurmOptions.DryRun"/>: prints it instead).
    /// </summary>
    public static SlurmJob Submit(IClusterPlan plan, RunStore store, SlurmOptions options)
    {
        plan.Validate();
        options.Validate();
        var workerDll = Path.GetFullPath(options.WorkerDll ?? FindWorker());
        if (!File.Exists(workerDll))
            throw new FileNotFoundException($"The worker {workerDll} does not exist. Build it once (dotnet build src/SparsityKit.Train -c Release) " +
                "on the shared filesystem, or set SlurmOptions.WorkerDll to a built SparsityKit.Train.dll.", workerDll);
        var dotnet = options.Dotnet ?? DefaultDotnet();
        var workingDirectory = Path.GetFullPath(options.WorkingDirectory ?? RepositoryOf(workerDll) ?? Environment.CurrentDirectory);
        var dataDirectory = plan.Data.NeedsFiles ? DataDirectory.Locate() : null;
        var script = SbatchScript.For(plan, store.Directory, options, dotnet, workerDll, workingDirectory, dataDirectory);

        plan.Save(store);
        var logs = Path.Combine(store.Directory, LogFolder);
        Directory.CreateDirectory(logs);
        var scriptPath = Path.Combine(logs, $"{plan.Experiment}-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.sbatch");
        File.WriteAllText(scriptPath, script);
        if (options.DryRun)
        {
            Console.WriteLine($"# dry run: not submitted; written to {scriptPath}");
            Console.WriteLine(script);
            return new SlurmJob(null, plan, store.Directory, options.Tasks, scriptPath, script);
        }
        var (code, output, error) = Shell(options.Sbatch, "--parsable", scriptPath);
        if (code != 0)
            throw new InvalidOperationException($"sbatch refused the job (exit {code}): {error.Trim()} {output.Trim()}. The script is {scriptPath}; " +
                "check the partition, account and limits with your cluster's documentation (sinfo lists partitions).");
        var jobId = output.Trim().Split(';')[0];   // --parsable prints "id" or "id;cluster"
        return new SlurmJob(jobId, plan, store.Directory, options.Tasks, scriptPath, script);
    }

    /// <summary>The tasks' states (squeue, then sacct where accounting is on) and runs done of runs planned.</summary>
    public static ClusterStatus Status(SlurmJob job)
    {
        if (job.JobId is null) throw new InvalidOperationException("A dry run has no status: submit without DryRun.");
        var states = new Dictionary<int, TaskStatus>();
        // sacct first (it may be off: "accounting storage is disabled"), then squeue, which knows live tasks best.
        var (sacctCode, sacct, _) = Shell("sacct", "-n", "-P", "-X", "-j", job.JobId, "-o", "JobID,State,NodeList");
        if (sacctCode == 0)
            foreach (var fields in sacct.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')))
                if (fields.Length >= 3 && TaskIndex(fields[0], job.JobId) is int i)
                    states[i] = new TaskStatus(i, fields[1].Split(' ')[0], fields[2]);
        var (code, squeue, error) = Shell("squeue", "-h", "-r", "-t", "all", "-j", job.JobId, "-o", "%i|%T|%R");
        if (code != 0 && states.Count == 0 && !error.Contains("Invalid job id"))
            throw new InvalidOperationException($"squeue failed (exit {code}): {error.Trim()}. Is Slurm reachable from here (try sinfo)?");
        foreach (var fields in squeue.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')))
            if (fields.Length >= 3 && TaskIndex(fields[0], job.JobId) is int i)
                states[i] = new TaskStatus(i, fields[1], fields[2].Trim('(', ')'));
        var tasks = Enumerable.Range(0, job.Tasks).Select(i => states.GetValueOrDefault(i) ?? new TaskStatus(i, "UNKNOWN", "not known to squeue or sacct")).ToList();
        return new ClusterStatus(job, tasks, RunsDone(job.Plan, new RunStore(job.Store)), job.Plan.RunCount, DateTime.UtcNow);
    }

    /// <summary>
    /// Waits until every run of the plan is in the store, calling <paramref name="onStatus"/> at each poll (a notebook
    /// updates a display there), and returns the records in the order of the plan's <c>Run</c>. Throws, naming the
    /// failed tasks and their output files, when every task has ended with runs still missing.
    /// </summary>
    public static IReadOnlyList<RunRecord> Wait(SlurmJob job, Action<ClusterStatus>? onStatus = null, TimeSpan? poll = null, TimeSpan? timeout = null) =>
        WaitAsync(job, onStatus, poll, timeout).GetAwaiter().GetResult();

    /// <summary><see cref="Wait"/> without blocking a thread between polls (for notebooks: <c>await Cluster.WaitAsync(job)</c>).</summary>
    public static async Task<IReadOnlyList<RunRecord>> WaitAsync(SlurmJob job, Action<ClusterStatus>? onStatus = null, TimeSpan? poll = null,
        TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var status = Status(job);
            onStatus?.Invoke(status);
            if (status.IsComplete) return job.Plan.Run(new RunStore(job.Store));
            if (status.TasksEnded)
            {
                var failed = status.Tasks.Where(t => t.State != "COMPLETED").Select(t => $"task {t.Index} {t.State.ToLowerInvariant()} (see {job.OutputOf(t.Index)})");
                throw new InvalidOperationException($"Every task of job {job.JobId} has ended but only {status.RunsDone} of {status.RunsPlanned} runs are done: " +
                    $"{string.Join("; ", failed)}. Fix the cause shown there and submit the plan again: finished runs are kept.");
            }
            if (timeout is { } limit && clock.Elapsed > limit)
                throw new TimeoutException($"Job {job.JobId} has not finished within {limit}: {status}.");
            await Task.Delay(poll ?? TimeSpan.FromSeconds(5), cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs of the plan whose records are in the store, found by the runs' keys (store names, which end in the hash of
    /// every setting): a record of the same method, sparsity and seed under other settings (a stale run) never counts.
    /// </summary>
    public static int RunsDone(IClusterPlan plan, RunStore store) => RunNamesOf(plan).Count(store.Contains);

    // A plan's run names take loading its data and building its models: once per plan object (plans are immutable).
    private static readonly ConditionalWeakTable<IClusterPlan, IReadOnlyList<string>> Names = [];

    private static IReadOnlyList<string> RunNamesOf(IClusterPlan plan) => Names.GetValue(plan, p => p.RunNames());

    private static int? TaskIndex(string id, string jobId) =>
        id.StartsWith(jobId + "_", StringComparison.Ordinal) && int.TryParse(id[(jobId.Length + 1)..], out int i) ? i : null;

    /// <summary>SparsityKit.Train.dll: <c>$SPARSITYKIT_WORKER_DLL</c>, else the newest Release build in the repository above here.</summary>
    public static string FindWorker()
    {
        if (Environment.GetEnvironmentVariable("SPARSITYKIT_WORKER_DLL") is { Length: > 0 } fromEnvironment) return fromEnvironment;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var bin = Path.Combine(dir.FullName, "src", "SparsityKit.Train", "bin", "Release");
                if (!Directory.Exists(bin)) continue;
                var built = Directory.GetFiles(bin, "SparsityKit.Train.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
                if (built is not null) return built;
            }
        throw new FileNotFoundException("No built worker (SparsityKit.Train.dll) found above " + Environment.CurrentDirectory +
            ". Build it once with: dotnet build src/SparsityKit.Train -c Release (in the repository, on the shared filesystem), " +
            "or set SlurmOptions.WorkerDll or SPARSITYKIT_WORKER_DLL.");
    }

    private static string DefaultDotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }

    private static string? RepositoryOf(string workerDll)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(workerDll)!); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "SparsityKit.Train"))) return dir.FullName;
        return null;
    }

    /// <summary>Runs a command and returns its exit code and output; exit 127 when the command is not installed.</summary>
    internal static (int Code, string Output, string Error) Shell(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill();
                return (124, output.Result, $"{command} did not answer within 2 minutes");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (127, "", $"{command} is not installed here (not on the PATH). Submit from a login node of the cluster, or start a local " +
                "Slurm with scripts/local-slurm.sh start.");
        }
    }
}
