// The "submit" command: submits a plan file (a sweep or a lottery experiment) to Slurm as a job array of workers on a shared run store
// (Cluster.Submit), optionally waiting with a status line per change, then printing the summary table.
using System.Globalization;
using SparsityKit.Clusters;
using SparsityKit.Experiments;

static class SubmitCommand
{
    public const string Usage =
        "usage: SparsityKit.Train submit --plan FILE --store DIR [--tasks N] [--partition P] [--account A] [--time D-HH:MM:SS|minutes]\n" +
        "       [--mem 8G] [--cpus-per-task C] [--gpus-per-task G] [--setup 'module load dotnet'] [--sbatch-option --qos=short]\n" +
        "       [--worker PATH/SparsityKit.Train.dll] [--poll SECONDS] [--dry-run] [--wait]";

    public static int Run(string[] args)
    {
        string? planFile = null, store = null;
        bool wait = false;
        var options = new SlurmOptions();
        var setup = new List<string>();
        var extra = new List<string>();
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
                switch (args[i])
                {
                    case "--plan": planFile = Value(); break;
                    case "--store": store = Value(); break;
                    case "--tasks": options = options with { Tasks = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                    case "--partition": options = options with { Partition = Value() }; break;
                    case "--account": options = options with { Account = Value() }; break;
                    case "--time": options = options with { TimeLimit = ParseTime(Value()) }; break;
                    case "--mem": options = options with { Memory = Value() }; break;
                    case "--cpus-per-task": options = options with { CpusPerTask = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                    case "--gpus-per-task": options = options with { GpusPerTask = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                    case "--setup": setup.Add(Value()); break;
                    case "--sbatch-option": extra.Add(Value()); break;
                    case "--worker": options = options with { WorkerDll = Value() }; break;
                    case "--poll": options = options with { Poll = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) }; break;
                    case "--dry-run": options = options with { DryRun = true }; break;
                    case "--wait": wait = true; break;
                    case "--help" or "-h": Console.WriteLine(Usage); return 0;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'. {Usage}");
                }
            }
            if (planFile is null || store is null) throw new ArgumentException($"--plan FILE and --store DIR are required. {Usage}");
            var plan = ClusterPlans.FromFile(planFile);   // a sweep or a lottery plan
            var job = Cluster.Submit(plan, new RunStore(store), options with { SetupLines = setup, ExtraOptions = extra });
            Console.WriteLine(job);
            if (!wait || job.JobId is null) return 0;
            string last = "";
            var started = DateTime.UtcNow;
            var records = Cluster.Wait(job, status =>
            {
                var line = status.ToString();
                if (line != last) Console.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds,6:F0} s  {line}");
                last = line;
            });
            Console.WriteLine($"plan complete in {(DateTime.UtcNow - started).TotalSeconds:F1} s after submission");
            Console.WriteLine(RecordSummary.Table(records, r => r.TestAccuracy, "test accuracy"));
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or InvalidDataException or InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"error: submit: {e.Message}");
            return e is ArgumentException or FormatException ? 2 : 1;
        }
    }

    // Slurm's forms: minutes, or [D-]HH:MM:SS.
    private static TimeSpan ParseTime(string text) =>
        int.TryParse(text, out int minutes) ? TimeSpan.FromMinutes(minutes)
        : TimeSpan.TryParseExact(text.Replace('-', '.'), [@"d\.hh\:mm\:ss", @"hh\:mm\:ss", @"d\.h\:mm\:ss", @"h\:mm\:ss"], CultureInfo.InvariantCulture, out var t) ? t
        : throw new FormatException($"--time {text}: use minutes (90) or [D-]HH:MM:SS (1-12:00:00).");
}
