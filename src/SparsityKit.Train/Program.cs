// SparsityKit's command line (README "Command line"): System.CommandLine subcommands with help, validation and tab
// completion ([suggest], dotnet-suggest). The root's own options are the original flag forms (--list-models, --method,
// --export, --model ...), kept word for word. Each command's logic lives in its own file; add a command with one line below.
using System.CommandLine;
using SparsityKit.Train.CommandLine;
using SparsityKit.Train.Commands;

return Cli.Invoke(Program.Root(), args);

public partial class Program
{
    /// <summary>The whole command line: the root with its original flags, and every subcommand.</summary>
    public static RootCommand Root()
    {
        var root = TrainingCommands.Root();
        root.Subcommands.Add(TrainingCommands.Train());
        root.Subcommands.Add(TrainingCommands.Prune());
        root.Subcommands.Add(TrainingCommands.Export());
        root.Subcommands.Add(TrainingCommands.Models());
        root.Subcommands.Add(TrainingCommands.Methods());
        root.Subcommands.Add(LotteryCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ReplicateCommand.Create());   // the experiments of the issues (formerly tools/SparsityKit.Replicate)
        root.Subcommands.Add(VdL0Command.Create());   // variational dropout and L0 (formerly tools/SparsityKit.VdL0)
        root.Subcommands.Add(WorkerCommand.Create());   // runs a sweep plan from a store (Slurm array tasks)
        root.Subcommands.Add(SubmitCommand.Create());   // submits a sweep plan to Slurm
        root.Subcommands.Add(ResultsCommand.Create());   // a store's finished runs as tables
        return root;
    }
}
