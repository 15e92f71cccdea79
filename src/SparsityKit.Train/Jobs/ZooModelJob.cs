using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;
using TorchSharp;

namespace SparsityKit.Train.Jobs;

/// <summary>
/// The zoo on the command line: <c>--list-models</c> (or <c>models</c>) prints every model's prunable weights and
/// parameters at its default input; <c>--model NAME --data mnist|fashion-mnist|cifar10|cifar100|image-folder [--data-dir DIR] [--image-size N] [--steps N] [--seed S] [--batch-size B]
/// [--lr LR | --recipe NAME] [--augment crop-flip|crop] [--channels-last]</c> trains an image model on the data's own input shape and prints its final test accuracy;
/// <c>--model transformer-small --data copy|reverse|parallel-text</c> a Transformer on packed sequence pairs, the same way.
/// </summary>
public static class ZooModelJob
{
    /// <summary>One row per zoo model: name, prunable weights, all parameters, default input and classes.</summary>
    public static int List()
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
        return 0;
    }

    public static int Run(TrainRequest request, ProgressStyle style)
    {
        var entry = Zoo.Find(request.Model!);   // TrainOptions matched the model to the data: images or token sequences
        var data = DataSets.ForZooModel(request);
        using var release = data as IDisposable;   // whole tensors; an image folder holds none
        Console.WriteLine(data);
        var model = Zoo.Create(entry.Name, request.Seed, device: data.Device, inputShape: data.ImageShape, classes: data.ClassCount);
        long prunable = Prunable.Default.Select(model).Sum(p => p.Parameter.numel());
        Console.WriteLine($"{entry.Name} on {string.Join("x", data.ImageShape)}: {prunable:N0} prunable weights");
        var config = Config(request);
        if (config.Augmentation is { } augmentation) Console.WriteLine($"augmentation: crop with {augmentation.CropPadding}-pixel padding{(augmentation.HorizontalFlip ? ", horizontal flip" : "")}");
        var run = ProgressDisplay.Run(style, progress => Trainer.Train(model, data, config, progress: progress, name: entry.Name));
        Console.WriteLine(run);
        if (request.ExportDirectory is not null)
            ModelExport.Export(request.ExportDirectory, entry.Name, run.Model, null, data, request.Data, DataSets.Normalisation(request));
        Console.WriteLine($"test accuracy: {run.TestAccuracy:P2}");
        return 0;
    }

    /// <summary>
    /// The training settings of a --model run: its --recipe's (a published optimizer, batch, schedule and length), else
    /// Adam with a cosine decay; evaluation every 500 steps at most; the length, augmentation and layout asked for.
    /// </summary>
    public static TrainConfig Config(TrainRequest request)
    {
        int steps = request.StepsOrDefault;
        var recipe = request.Recipe is null
            ? new TrainConfig { BatchSize = request.BatchSize, Optimizer = new Adam(request.LearningRate), Schedule = new CosineDecay(), EvaluateEvery = 500 }
            : ZooRecipe.Find(request.Recipe).Config;
        return recipe with
        {
            Steps = steps, EvaluateEvery = Math.Min(recipe.EvaluateEvery, steps), ReportEvery = Math.Max(1, Math.Min(100, steps / 3)),
            EvaluationBatchSize = 500, ChannelsLast = request.ChannelsLast,
            Augmentation = request.Augment switch
            {
                null => null,
                "crop-flip" => Augmentation.CropAndFlip(),
                "crop" => new Augmentation { CropPadding = 4 },
                _ => throw new ArgumentException($"Unknown augmentation '{request.Augment}': use one of {string.Join(", ", TrainOptions.AugmentNames)}."),
            },
        };
    }
}
