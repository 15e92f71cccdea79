// Re-runs the replication experiments whose figures are reported in the issues, resumably (results/ keeps every
// finished run). usage: SparsityKit.Replicate pruning|schedules|lottery|checkpoint [--seeds 1,2,3] [--steps N] [--rounds R] [--threads T] [--scratch-b false] [--schedule K]
// (--schedule K: the pruning comparison's gradual schedule, candidate K of ScheduleSearch.Candidates; default 1)
// SparsityKit.Replicate report [--quick] [--results DIR] [--output FILE]: the replication report from the finished stores (trains nothing)
using SparsityKit;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Training;
using TorchSharp;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: SparsityKit.Replicate pruning|schedules|lottery|checkpoint|report [--seeds 1,2,3] [--steps N] [--rounds R] [--threads T] [--store DIR] [--scratch-b true|false] [--schedule K]");
    return args.Length == 0 ? 2 : 0;
}
if (args[0] == "report") return ReportCommand.Run(args[1..]);
var options = ReplicationOptions.Parse(args[1..]);
torch.set_num_threads(options.Threads);
using var mnist = Datasets.Mnist(torch.CPU);
var store = new RunStore(options.Store);
var started = DateTime.UtcNow;
switch (args[0])
{
    case "pruning":
        Console.WriteLine(PruningComparison.Run(mnist, store, options));
        break;
    case "schedules":
        using (var data = mnist.WithValidation(5_000, seed: 0))
            Console.WriteLine(ScheduleSearch.Run(data, options, sparsity: 0.98));
        break;
    case "lottery":
        using (var data = mnist.WithValidation(5_000, seed: 0))
            Console.WriteLine(LotteryReplication.Run(data, store, options));
        break;
    case "checkpoint":
        Console.WriteLine(CheckpointRun.Run(mnist, store, options));
        break;
    default:
        Console.Error.WriteLine($"error: unknown experiment '{args[0]}': use pruning, schedules, lottery or checkpoint.");
        return 2;
}
Console.WriteLine($"wall time {(DateTime.UtcNow - started).TotalMinutes:F1} min (runs loaded from {store.Directory} cost nothing)");
return 0;
