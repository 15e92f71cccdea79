// The "worker" command: runs the plan (a sweep or a lottery experiment) saved in a run store until every run is done, then exits 0. Several workers
// (Slurm array tasks, or processes on one machine) on one store split the runs; each returns when all are done.
// Slurm's sbatch scripts (SbatchScript.cs) call it as `dotnet SparsityKit.Train.dll worker --store DIR --poll S`.
using System.CommandLine;
using SparsityKit.Clusters;
using SparsityKit.Experiments;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;
using TorchSharp;

namespace SparsityKit.Train.Commands;

public static class WorkerCommand
{
    public static Command Create()
    {
        var store = Options.Text("--store", "The run store holding sweep.plan or lottery.plan (shared by all workers)", "DIR");
        store.Required = true;
        var poll = Options.Double("--poll", "Seconds between looks for runs that other workers hold (default 10)", 0.001, double.PositiveInfinity, "10", helpName: "SECONDS");
        var threads = Options.Int("--threads", "libtorch threads when the plan sets none (default: Slurm's cpus-per-task, else libtorch's)", 1, "1");
        var command = new Command("worker", "Run the plan (a sweep or a lottery) saved in a run store until every run is done (one Slurm array task; any number may share a store)")
        {
            store, poll, threads,
        };
        command.SetAction(result => Run(result.GetValue(store)!, result.GetValue(poll) ?? 10, result.GetValue(threads), ProgressDisplay.StyleOf(result)));
        return command;
    }

    public static int Run(string store, double poll, int? threads, ProgressStyle style)
    {
        try
        {
            var runStore = new RunStore(store);
            var plan = ClusterPlans.Load(runStore);   // a sweep or a lottery plan
            // The plan's thread count wins (it decides bit-identical results); else --threads, else the cores Slurm gave the task.
            if (plan.Threads is null && (threads ?? CpusOfSlurmTask()) is int n) torch.set_num_threads(n);
            string task = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") is { } index
                ? $"task {Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID")}_{index}" : "no Slurm task";
            Console.WriteLine($"worker {Environment.MachineName}:{Environment.ProcessId} ({task}, {plan.Threads ?? torch.get_num_threads()} threads): {plan}");
            var records = ProgressDisplay.Run(style, progress => plan.Run(runStore, progress, poll: TimeSpan.FromSeconds(poll), log: new TrainingLog(runStore)),
                lineInterval: TimeSpan.FromSeconds(30));
            int trained = TrainingLog.Read(runStore).Count(e => e.Event == "finished" && e.Process == $"{Environment.MachineName}:{Environment.ProcessId}");
            Console.WriteLine($"plan '{plan.Experiment}' complete: {records.Count} records in {runStore.Directory}; this worker trained {trained}.");
            return 0;
        }
        catch (Exception e)
        {
            // The task's output file is all a user sees of a failed task: the message first, then where it came from.
            Console.Error.WriteLine($"error: worker: {e.Message}");
            if (e is not (ArgumentException or IOException or InvalidDataException or InvalidOperationException)) Console.Error.WriteLine(e);
            return Cli.Failure;
        }
    }

    private static int? CpusOfSlurmTask() =>
        int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out int n) && n > 0 ? n : null;
}
