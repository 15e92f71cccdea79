// The "replicate" command (formerly tools/SparsityKit.Replicate): re-runs the replication experiments whose figures are
// reported in the issues, resumably (the store keeps every finished run):
//   replicate pruning|schedules|lottery|checkpoint [--seeds 1,2,3] [--steps N] [--threads T] [--store DIR]
//   lottery also takes --rounds R and --scratch-b true|false; pruning takes --schedule K (candidate K of ScheduleSearch.Candidates).
//   replicate report [--quick] [--results DIR] [--output FILE]: the replication report from the finished stores (trains nothing)
using System.CommandLine;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Train.CommandLine;
using SparsityKit.Train.Replication;
using SparsityKit.Training;
using TorchSharp;

namespace SparsityKit.Train.Commands;

public static class ReplicateCommand
{
    private delegate string ExperimentRun(Dataset mnist, RunStore store, ReplicationOptions options, IProgress<TrainingProgress> progress);

    public static Command Create()
    {
        var command = new Command("replicate", "Re-run the replication experiments reported in the issues (LeNet-300-100 on MNIST), resumably");
        command.Subcommands.Add(Experiment("pruning", "Dense vs one-shot vs gradual magnitude pruning at 90/95/98% sparsity (20,000 steps per run)",
            (mnist, store, o, p) => PruningComparison.Run(mnist, store, o, p), schedule: true));
        command.Subcommands.Add(Experiment("schedules", "Gradual schedules compared at 98% sparsity on a 5,000-image validation split",
            (mnist, _, o, p) => { using var data = mnist.WithValidation(5_000, seed: 0); return ScheduleSearch.Run(data, o, sparsity: 0.98, p); }));
        command.Subcommands.Add(Experiment("lottery", "Frankle and Carbin's lottery tickets with random-reinit, random-mask and scratch-B controls",
            (mnist, store, o, p) => { using var data = mnist.WithValidation(5_000, seed: 0); return LotteryReplication.Run(data, store, o, p); }, lottery: true));
        command.Subcommands.Add(Experiment("checkpoint", "A 50,000-step gradual pruning run checkpointed in the store; kill it and run again to resume " +
            "(scripts/checkpoint-check.sh compares the weights' hash with an uninterrupted run)",
            (mnist, store, o, p) => CheckpointRun.Run(mnist, store, o, p)));
        command.Subcommands.Add(ReportCommand.Create());
        return command;
    }

    private static Command Experiment(string name, string description, ExperimentRun run, bool schedule = false, bool lottery = false)
    {
        var defaults = ReplicationOptions.Default;
        var seeds = Options.LongList("--seeds", "Seeds, one run (or lottery chain) each (default 1,2,3)", "1,2,3");
        var steps = Options.Int("--steps", "Training steps per run (default: the experiment's own)", 1, "5000");
        var threads = Options.Int("--threads", "libtorch threads (default 1, so results are bit-identical run to run)", 1, "2");
        var store = Options.Text("--store", $"The run store: finished runs are kept here and not trained again (default {defaults.Store})", "DIR");
        var command = new Command(name, description) { seeds, steps, threads, store };
        var rounds = Options.Int("--rounds", "Pruning rounds (default 12)", 1, "12");
        var scratchB = new Option<bool>("--scratch-b") { Description = "Run the scratch-B control too (default true)", DefaultValueFactory = _ => true, HelpName = "true|false" };
        var scheduleOption = Options.Int("--schedule", "The gradual schedule: candidate K of the schedules experiment (default 1)", 0, "1");
        if (lottery) { command.Options.Add(rounds); command.Options.Add(scratchB); }
        if (schedule) command.Options.Add(scheduleOption);
        command.SetAction(result =>
        {
            var options = defaults with
            {
                Seeds = result.GetValue(seeds) ?? defaults.Seeds,
                Steps = result.GetValue(steps),
                Threads = result.GetValue(threads) ?? defaults.Threads,
                Store = result.GetValue(store) ?? defaults.Store,
                Rounds = lottery ? result.GetValue(rounds) : null,
                ScratchB = !lottery || result.GetValue(scratchB),
                Schedule = schedule ? result.GetValue(scheduleOption) ?? defaults.Schedule : defaults.Schedule,
            };
            torch.set_num_threads(options.Threads);
            using var mnist = Datasets.Mnist(torch.CPU);
            var runStore = new RunStore(options.Store);
            var started = DateTime.UtcNow;
            Console.WriteLine(ProgressDisplay.Run(ProgressDisplay.StyleOf(result), progress => run(mnist, runStore, options, progress),
                lineInterval: TimeSpan.FromSeconds(30)));
            Console.WriteLine($"wall time {(DateTime.UtcNow - started).TotalMinutes:F1} min (runs loaded from {runStore.Directory} cost nothing)");
            return 0;
        });
        return command;
    }
}
