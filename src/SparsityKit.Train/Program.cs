// The README's main job (first form): train LeNet-300-100 on MNIST with Frankle and Carbin's settings
// (Adam 1.2e-3, batch 60) and print the test accuracy. --full runs their 50,000 iterations.
// The learning rate decays to zero on a cosine by default: at a constant rate (the paper's, --constant-lr)
// the final test accuracy wanders by about +-0.4 points from one evaluation to the next.
using SparsityKit;
using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;

if (SparsityKit.Train.ModelCommand.Handles(args)) return SparsityKit.Train.ModelCommand.Run(args);   // --list-models, --model NAME
if (args.Length > 0 && args[0] == "worker") return Worker.Run(args[1..]);   // runs a sweep plan from a store (see Worker.cs)
if (args.Length > 0 && args[0] == "submit") return SubmitCommand.Run(args[1..]);   // submits one to Slurm (SubmitCommand.cs)
if (MethodCommand.Handles(args)) return MethodCommand.Run(args);   // --method NAME / --list-methods (MethodCommand.cs)

const int ShortSteps = 6_000;
int steps = ShortSteps;
long seed = 1;
string dataset = "mnist";
LearningRateSchedule schedule = new CosineDecay();
string? exportDirectory = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--full": steps = Presets.LotteryTicketLeNet300.Steps; break;
        case "--steps" when i + 1 < args.Length: steps = int.Parse(args[++i]); break;
        case "--seed" when i + 1 < args.Length: seed = long.Parse(args[++i]); break;
        case "--constant-lr": schedule = LearningRateSchedule.Constant; break;
        case "--dataset" or "--data" when i + 1 < args.Length: dataset = args[++i]; break;
        case "--export" when i + 1 < args.Length: exportDirectory = args[++i]; break;
        case "--help" or "-h":
            Console.WriteLine("usage: SparsityKit.Train [--full | --steps N] [--seed S] [--constant-lr] [--dataset mnist|fashion-mnist] [--export DIR]\n" +
            "       SparsityKit.Train --method NAME --sparsity S [--steps N] [--export DIR] | --list-methods\n" +
            "       SparsityKit.Train --list-models | --model NAME [--data mnist|fashion-mnist] [--steps N] [--seed S]");
            Console.WriteLine($"       SparsityKit.Train worker --store DIR | submit --plan FILE --store DIR ... (sweep plans on Slurm; README)");
            return 0;
        default:
            Console.Error.WriteLine($"error: unknown argument '{args[i]}'. Try --help.");
            return 2;
    }
}

using var data = dataset switch
{
    "mnist" => Datasets.Mnist(),
    "fashion-mnist" => Datasets.FashionMnist(),
    _ => throw new ArgumentException($"Unknown data set '{dataset}': use mnist or fashion-mnist."),
};
Console.WriteLine(data);
var model = Zoo.LeNet300_100(seed, device: data.Device);
var config = Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = schedule, EvaluateEvery = Math.Min(1_000, steps) };
var run = Trainer.Train(model, data, config, progress: new ConsoleProgress(), name: "LeNet-300-100");
Console.WriteLine(run);
Console.WriteLine($"test accuracy: {run.TestAccuracy:P2}");
if (exportDirectory is not null) ExportCommand.Export(exportDirectory, "lenet300-100", model, null, data, dataset);
return 0;
