// The "submit" command: submits a plan file (a sweep or a lottery experiment) to Slurm as a job array of workers on a shared run store
// (Cluster.Submit), optionally waiting with a status line per change, then printing the summary table.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using SparsityKit.Clusters;
using SparsityKit.Experiments;
using SparsityKit.Train.CommandLine;

namespace SparsityKit.Train.Commands;

public static class SubmitCommand
{
    public static Command Create()
    {
        var plan = Options.Text("--plan", "The plan file, a sweep or a lottery experiment (JSON; docs/plans has examples)", "FILE");
        var store = Options.Text("--store", "The run store on the shared filesystem", "DIR");
        plan.Required = store.Required = true;
        var tasks = Options.Int("--tasks", "Array tasks, one worker each (default 2)", 1, "4");
        var partition = Options.Text("--partition", "Slurm partition", "P");
        var account = Options.Text("--account", "Slurm account", "A");
        var time = new Option<TimeSpan?>("--time") { Description = "Time limit per task: minutes (90) or [D-]HH:MM:SS (1-12:00:00)", HelpName = "LIMIT" };
        time.CustomParser = ParseTime;
        var memory = Options.Text("--mem", "Memory per task (8G)", "SIZE");
        var cpus = Options.Int("--cpus-per-task", "CPUs per task", 1, "2");
        var gpus = Options.Int("--gpus-per-task", "GPUs per task", 0, "1");
        var setup = new Option<string[]>("--setup") { Description = "A shell line run before the worker (repeatable): 'module load dotnet'", HelpName = "LINE" };
        var sbatchOption = new Option<string[]>("--sbatch-option") { Description = "An extra #SBATCH option (repeatable): --qos=short", HelpName = "OPTION" };
        sbatchOption.AllowMultipleArgumentsPerToken = false;
        var worker = Options.Text("--worker", "The built worker, PATH/SparsityKit.Train.dll (default: $SPARSITYKIT_WORKER_DLL or the newest Release build)", "DLL");
        var poll = Options.Double("--poll", "Seconds between status looks with --wait", 0.001, double.PositiveInfinity, "10", helpName: "SECONDS");
        var dryRun = Options.Flag("--dry-run", "Write the job script and store, but do not call sbatch");
        var wait = Options.Flag("--wait", "Wait for the job, a status line per change, then print the summary table");
        var command = new Command("submit", "Submit a plan (a sweep or a lottery) to Slurm as a job array of workers on a shared run store")
        {
            plan, store, tasks, partition, account, time, memory, cpus, gpus, setup, sbatchOption, worker, poll, dryRun, wait,
        };
        command.SetAction(result =>
        {
            var options = new SlurmOptions();
            if (result.GetValue(tasks) is int t) options = options with { Tasks = t };
            if (result.GetValue(partition) is { } p) options = options with { Partition = p };
            if (result.GetValue(account) is { } a) options = options with { Account = a };
            if (result.GetValue(time) is TimeSpan limit) options = options with { TimeLimit = limit };
            if (result.GetValue(memory) is { } m) options = options with { Memory = m };
            if (result.GetValue(cpus) is int c) options = options with { CpusPerTask = c };
            if (result.GetValue(gpus) is int g) options = options with { GpusPerTask = g };
            if (result.GetValue(worker) is { } w) options = options with { WorkerDll = w };
            if (result.GetValue(poll) is double seconds) options = options with { Poll = TimeSpan.FromSeconds(seconds) };
            if (result.GetValue(dryRun)) options = options with { DryRun = true };
            options = options with { SetupLines = result.GetValue(setup) ?? [], ExtraOptions = result.GetValue(sbatchOption) ?? [] };
            return Run(result.GetValue(plan)!, result.GetValue(store)!, options, result.GetValue(wait));
        });
        return command;
    }

    public static int Run(string planFile, string store, SlurmOptions options, bool wait)
    {
        try
        {
            var plan = ClusterPlans.FromFile(planFile);   // a sweep or a lottery plan
            var job = Cluster.Submit(plan, new RunStore(store), options);
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
            return e is ArgumentException or FormatException ? Cli.UsageError : Cli.Failure;
        }
    }

    // Slurm's forms: minutes, or [D-]HH:MM:SS.
    private static TimeSpan? ParseTime(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int minutes) && minutes > 0) return TimeSpan.FromMinutes(minutes);
        if (TimeSpan.TryParseExact(text.Replace('-', '.'), [@"d\.hh\:mm\:ss", @"hh\:mm\:ss", @"d\.h\:mm\:ss", @"h\:mm\:ss"], CultureInfo.InvariantCulture, out var t)) return t;
        result.AddError($"--time {text}: not valid; use minutes (90) or [D-]HH:MM:SS (1-12:00:00).");
        return null;
    }
}
