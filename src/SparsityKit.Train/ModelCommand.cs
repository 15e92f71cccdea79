using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;

namespace SparsityKit.Train;

/// <summary>
/// The zoo on the command line: <c>--list-models</c> prints every model's prunable weights and parameters at its default
/// input; <c>--model NAME --data mnist|fashion-mnist [--steps N] [--seed S] [--batch-size B] [--lr LR]</c> trains an
/// image model on the data's own input shape and prints its final test accuracy.
/// </summary>
internal static class ModelCommand
{
    private const int DefaultSteps = 1_000;

    /// <summary>Whether these arguments are this command's (they name a model or ask for the list).</summary>
    public static bool Handles(string[] args) => args.Contains("--list-models") || args.Contains("--model");

    public static int Run(string[] args)
    {
        try { return Dispatch(args); }
        catch (Exception e) when (e is ArgumentException or FormatException or SparsityKit.Data.DataFileException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static int Dispatch(string[] args)
    {
        string? model = null, data = "mnist";
        int steps = DefaultSteps, batchSize = 60;
        long seed = 1;
        double learningRate = 1e-3;
        bool list = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--list-models": list = true; break;
                case "--model": model = Value(); break;
                case "--data" or "--dataset": data = Value(); break;
                case "--steps": steps = int.Parse(Value()); break;
                case "--seed": seed = long.Parse(Value()); break;
                case "--batch-size": batchSize = int.Parse(Value()); break;
                case "--lr": learningRate = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"error: unknown argument '{args[i]}' with --model. Usage: --list-models | --model NAME " +
                        "[--data mnist|fashion-mnist] [--steps N] [--seed S] [--batch-size B] [--lr LR]");
                    return 2;
            }
        }
        if (list) { ListModels(); return 0; }
        if (steps < 1 || batchSize < 1) throw new ArgumentException($"--steps ({steps}) and --batch-size ({batchSize}) must be positive.");
        return TrainModel(model!, data, steps, seed, batchSize, learningRate);
    }

    /// <summary>One row per zoo model: name, prunable weights, all parameters, default input and classes.</summary>
    public static void ListModels()
    {
        Console.WriteLine($"{"model",-18} {"prunable",12} {"parameters",12}  input");
        foreach (var entry in Zoo.Models)
        {
            using var scope = torch.NewDisposeScope();
            using var model = Zoo.Build(entry.Name, device: torch.CPU);
            long prunable = Prunable.Default.Select(model).Sum(p => p.Parameter.numel());
            long total = model.parameters().Sum(p => p.numel());
            string input = entry.TakesTokens ? $"tokens, vocabulary {entry.Classes}" : $"{string.Join("x", entry.InputShape)}, {entry.Classes} classes";
            Console.WriteLine($"{entry.Name,-18} {prunable,12} {total,12}  {input}");
        }
    }

    private static int TrainModel(string name, string dataName, int steps, long seed, int batchSize, double learningRate)
    {
        var entry = Zoo.Find(name);
        if (entry.TakesTokens)
        {
            Console.Error.WriteLine($"error: {entry.Name} takes token sequences, and the trainer takes images; build it with Zoo.CreateTransformer. " +
                "Image models: " + string.Join(", ", Zoo.Models.Where(m => !m.TakesTokens).Select(m => m.Name)));
            return 2;
        }
        using var data = dataName switch
        {
            "mnist" => Datasets.Mnist(),
            "fashion-mnist" => Datasets.FashionMnist(),
            _ => throw new ArgumentException($"Unknown data set '{dataName}' (--data): use mnist or fashion-mnist."),
        };
        Console.WriteLine(data);
        var model = Zoo.Create(entry.Name, seed, device: data.Device, inputShape: data.ImageShape, classes: data.ClassCount);
        long prunable = Prunable.Default.Select(model).Sum(p => p.Parameter.numel());
        Console.WriteLine($"{entry.Name} on {string.Join("x", data.ImageShape)}: {prunable:N0} prunable weights");
        var config = new TrainConfig
        {
            Steps = steps, BatchSize = batchSize, Optimizer = new Adam(learningRate), Schedule = new CosineDecay(),
            EvaluateEvery = Math.Min(500, steps), ReportEvery = Math.Max(1, Math.Min(100, steps / 3)), EvaluationBatchSize = 500,
        };
        var run = Trainer.Train(model, data, config, progress: new ConsoleProgress(), name: entry.Name);
        Console.WriteLine(run);
        Console.WriteLine($"test accuracy: {run.TestAccuracy:P2}");
        return 0;
    }
}
