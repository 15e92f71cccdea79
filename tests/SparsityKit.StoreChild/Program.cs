// Runs a tiny sweep or lottery experiment on a run store, for the fault-injection tests that kill it at random moments:
//   SparsityKit.StoreChild sweep|lottery STORE LOG
// Appends one line "saved NAME" to LOG.PID (a file of its own: two children share a store, and CI once lost a line when
// both appended to one file) after each record it saves, so a test can see a finished run computed twice.
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

if (args.Length != 3 || args[0] is not ("sweep" or "lottery"))
{
    Console.Error.WriteLine("usage: SparsityKit.StoreChild sweep|lottery STORE LOG");
    return 2;
}
set_num_threads(1);
var store = new RunStore(args[1]) { LeaseTimeout = TimeSpan.FromSeconds(5), Saved = name => File.AppendAllText($"{args[2]}.{Environment.ProcessId}", $"saved {name}\n") };
using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
// Checkpoints every 10 steps, so kills land between checkpoints and inside them.
var config = new TrainConfig { Steps = 60, BatchSize = 20, EvaluateEvery = 30, CheckpointEvery = 10 };
ModelFactory lenet = seed => Zoo.LeNet300_100(seed, device: CPU);
var poll = TimeSpan.FromMilliseconds(100);
if (args[0] == "sweep")
{
    SweepMethod[] methods =
    [
        new("magnitude", (s, _) => new MagnitudePruning(SparsityDistribution.Uniform(s), PruningSchedule.Gradual(10, 40, 10))),
        new("variational dropout", (_, _) => new VariationalDropout(), seed => Zoo.LeNet300_100(seed, layers: new VariationalDropoutLayers(), device: CPU))
            { AtSparsity = VariationalDropout.AtSparsity },
    ];
    var records = Sweep.Run("faults", methods, [0.5, 0.9], [1, 2], lenet, data, config, store, poll: poll);
    Console.WriteLine($"{records.Count} records");
}
else
{
    var result = Lottery.Run("faults", lenet, data, config, new LotteryConfig { Rounds = 2, Seeds = [1, 2], Controls = LotteryControls.RandomReinit },
        store, poll: poll);
    Console.WriteLine($"{result.Records.Count} records");
}
return 0;
