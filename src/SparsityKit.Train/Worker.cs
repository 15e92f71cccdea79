// The "worker" command: runs the plan (a sweep or a lottery experiment) saved in a run store until every run is done, then exits 0. Several workers
// (Slurm array tasks, or processes on one machine) on one store split the runs; each returns when all are done.
using System.Globalization;
using SparsityKit.Clusters;
using SparsityKit.Experiments;
using SparsityKit.Training;
using TorchSharp;

static class Worker
{
    public const string Usage = "usage: SparsityKit.Train worker --store DIR [--poll SECONDS] [--threads N]";

    public static int Run(string[] args)
    {
        string? store = null;
        double poll = 10;
        int? threads = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--store" when i + 1 < args.Length: store = args[++i]; break;
                case "--poll" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out poll) && poll > 0: i++; break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int t) && t > 0: threads = t; i++; break;
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default:
                    Console.Error.WriteLine($"error: worker: unexpected or incomplete argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }
        if (store is null)
        {
            Console.Error.WriteLine($"error: worker: --store DIR is required (the run store holding sweep.plan or lottery.plan). {Usage}");
            return 2;
        }
        try
        {
            var runStore = new RunStore(store);
            var plan = ClusterPlans.Load(runStore);
            // The plan's thread count wins (it decides bit-identical results); else --threads, else the cores Slurm gave the task.
            if (plan.Threads is null && (threads ?? CpusOfSlurmTask()) is int n) torch.set_num_threads(n);
            string task = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") is { } index
                ? $"task {Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID")}_{index}" : "no Slurm task";
            Console.WriteLine($"worker {Environment.MachineName}:{Environment.ProcessId} ({task}, {plan.Threads ?? torch.get_num_threads()} threads): {plan}");
            var records = plan.Run(runStore, new ConsoleProgress(TimeSpan.FromSeconds(30)), poll: TimeSpan.FromSeconds(poll), log: new TrainingLog(runStore));
            int trained = TrainingLog.Read(runStore).Count(e => e.Event == "finished" && e.Process == $"{Environment.MachineName}:{Environment.ProcessId}");
            Console.WriteLine($"plan '{plan.Experiment}' complete: {records.Count} records in {runStore.Directory}; this worker trained {trained}.");
            return 0;
        }
        catch (Exception e)
        {
            // The task's output file is all a user sees of a failed task: the message first, then where it came from.
            Console.Error.WriteLine($"error: worker: {e.Message}");
            if (e is not (ArgumentException or IOException or InvalidDataException or InvalidOperationException)) Console.Error.WriteLine(e);
            return 1;
        }
    }

    private static int? CpusOfSlurmTask() =>
        int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out int n) && n > 0 ? n : null;
}
