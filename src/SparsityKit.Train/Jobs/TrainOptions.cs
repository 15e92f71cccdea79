// The options of the training commands (the root's legacy flags, train, prune, export) and how a parse becomes a
// TrainRequest. One instance per command: System.CommandLine options belong to the command they are added to.
using System.CommandLine;
using System.CommandLine.Parsing;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Train.CommandLine;

namespace SparsityKit.Train.Jobs;

public sealed class TrainOptions
{
    private readonly DataOptions _data = new(imageFolder: true, sequences: true);

    public Option<string?> Model { get; } = Options.Named("--model", "Zoo model to train (models lists them); default LeNet-300-100 with Frankle and Carbin's settings",
        "NAME", [], Zoo.Names, name => { try { Zoo.Find(name); return true; } catch (ArgumentException) { return false; } },
        $"use a zoo model ({string.Join(", ", Zoo.Names)}); 'models' lists them");
    public Option<string?> Data => _data.Data;
    public Option<string?> DataDirectory => _data.Directory;
    public Option<int?> ImageSize => _data.ImageSize!;
    public Option<int?> Steps { get; } = Options.Int("--steps", "Training steps (default 6,000; 1,000 with --model)", 1, "300");
    public Option<bool> Full { get; } = Options.Flag("--full", "Frankle and Carbin's 50,000 iterations (LeNet-300-100)");
    public Option<long?> Seed { get; } = Options.Long("--seed", "Seed of the initial weights and batch order (default 1)", "2");
    public Option<bool> ConstantLr { get; } = Options.Flag("--constant-lr", "Keep the learning rate constant (the paper's) instead of a cosine decay (LeNet-300-100)");
    public Option<int?> BatchSize { get; } = Options.Int("--batch-size", "Batch size with --model (default 60)", 1, "128");
    public Option<double?> LearningRate { get; } = Options.Double("--lr", "Adam learning rate with --model (default 1e-3)", double.Epsilon, double.PositiveInfinity, "3e-4", helpName: "RATE");
    public Option<string?> Augment { get; } = Options.Choice("--augment",
        "Augmentation with --model, on the device and seeded: crop-flip (4-pixel padding, random crop, horizontal flip; He et al.'s CIFAR recipe) or crop (no flip, for digits)",
        AugmentNames);
    public static readonly IReadOnlyList<string> AugmentNames = ["crop-flip", "crop"];
    public Option<bool> ChannelsLast { get; } = Options.Flag("--channels-last",
        "With --model: store convolution kernels channels-last (NHWC), as PyTorch's memory_format=torch.channels_last; on one thread here LeNet-5 trained about 1.5x, ResNet-20 1.25x and Conv-4 1.1x faster on oneDNN; results not bit-identical to contiguous kernels' and, with batch norm, less precise in float32 (README, Speed)");
    public Option<string?> Method { get; } = Options.Named("--method", "Train with this method of the catalog to --sparsity (methods lists them)",
        "NAME", [], MethodCatalog.Names, name => { try { MethodCatalog.Describe(name); return true; } catch (ArgumentException) { return false; } },
        $"use a method of the catalog ({string.Join(", ", MethodCatalog.Names)}, or nm-N:M); 'methods' lists them");
    public Option<double?> Sparsity { get; } = Options.Double("--sparsity", "Fraction of weights pruned with --method (default 0.9)", 0, 1, "0.9", maximumExcluded: true, helpName: "S");
    public Option<string?> Distribution { get; } = Options.Choice("--distribution", "How --method spreads the sparsity over layers (default: the method's own)",
        CatalogOptions.DistributionNames);
    public Option<string?> Recipe { get; } = Options.Choice("--recipe",
        "Training recipe. With --method: lottery (default: Adam 1.2e-3, batch 60, 6,000 steps) or rigl-mnist (RigL's MNIST code: SGD Nesterov, batch 100, 120,000 steps). " +
        $"With --model, a published one (optimizer, batch, schedule, length): {string.Join(", ", ZooRecipe.Names)}",
        [.. MethodRecipe.Names, .. ZooRecipe.Names]);
    public Option<string?> Export { get; } = Options.Text("--export", "Write the trained model for PyTorch and SparsityKit to this folder", "DIR");

    /// <summary>Every option, in help order.</summary>
    public IEnumerable<Option> All => [Model, Data, DataDirectory, ImageSize, Steps, Full, Seed, ConstantLr, BatchSize, LearningRate, Augment, ChannelsLast, Method, Sparsity, Distribution, Recipe, Export];

    /// <summary>Adds <paramref name="options"/> (all of them when none are named) to <paramref name="command"/> and checks their combinations.</summary>
    public Command AddTo(Command command, params Option[] options)
    {
        foreach (var option in options.Length == 0 ? All : options) command.Options.Add(option);
        command.Validators.Add(Check);
        return command;
    }

    /// <summary>The request a parse holds, for a command whose job is <paramref name="kind"/> (null: decided by --model and --method).</summary>
    public TrainRequest Request(ParseResult result, TrainKind? kind = null, string? defaultMethod = null, string? exportDirectory = null)
    {
        T? Get<T>(Option<T> option) => result.GetResult(option) is null ? default : result.GetValue(option);
        string? method = Get(Method) ?? defaultMethod;
        return new TrainRequest(kind ?? (method is not null ? TrainKind.Method : Get(Model) is not null ? TrainKind.ZooModel : TrainKind.LeNet))
        {
            Model = Get(Model),
            Data = Get(Data) ?? "mnist",
            DataDirectory = Get(DataDirectory),
            ImageSize = Get(ImageSize),
            Steps = Get(Full) ? SparsityKit.Training.Presets.LotteryTicketLeNet300.Steps : Get(Steps),
            Full = Get(Full),
            Seed = Get(Seed) ?? 1,
            ConstantLearningRate = Get(ConstantLr),
            BatchSize = Get(BatchSize) ?? 60,
            LearningRate = Get(LearningRate) ?? 1e-3,
            Augment = Get(Augment),
            ChannelsLast = Get(ChannelsLast),
            Method = method,
            Sparsity = Get(Sparsity) ?? 0.9,
            Distribution = Get(Distribution),
            Recipe = Get(Recipe),
            ExportDirectory = exportDirectory ?? Get(Export),
        };
    }

    // Options that only one job takes are refused with the others, naming both sides, as the old parser did.
    private void Check(CommandResult command)
    {
        bool Given(Option option) => command.GetResult(option) is { Implicit: false };
        string? job = Given(Method) ? "--method" : Given(Model) ? "--model" : null;
        if (Given(Full) && Given(Steps)) command.AddError("--full and --steps both set the training length: give one of them.");
        bool methodJob = Given(Method) || command.Command.Name == "prune";
        foreach (var option in new Option[] { Sparsity, Distribution })
            if (Given(option) && !methodJob)
                command.AddError($"{option.Name} applies with --method only: add --method NAME (methods lists them) or drop {option.Name}.");
        if (Given(Recipe) && command.GetValue(Recipe) is { } recipe)
        {
            if (methodJob && !Given(Model) && !MethodRecipe.Names.Contains(recipe))
                command.AddError($"--recipe {recipe} is a recipe for --model; with --method use one of {string.Join(", ", MethodRecipe.Names)}.");
            else if (Given(Model) && !ZooRecipe.Names.Contains(recipe))
                command.AddError($"--recipe {recipe} is a recipe for --method (LeNet-300-100); with --model use one of {string.Join(", ", ZooRecipe.Names)}.");
            else if (Given(Model))
            {
                foreach (var option in new Option[] { BatchSize, LearningRate })
                    if (Given(option))
                        command.AddError($"--recipe {recipe} sets the batch size and the optimizer ({ZooRecipe.Find(recipe).Description}): drop {option.Name} or --recipe.");
            }
            else if (!methodJob)
                command.AddError("--recipe applies with --method or --model: add --method NAME (methods lists them) or --model NAME, or drop --recipe.");
        }
        foreach (var option in new Option[] { BatchSize, LearningRate, Augment, ChannelsLast })
            if (Given(option) && !Given(Model))
                command.AddError($"{option.Name} applies with --model only (LeNet-300-100 and --method keep Frankle and Carbin's batch 60 and Adam 1.2e-3): add --model NAME or drop {option.Name}.");
        if (job is not null && Given(ConstantLr))
            command.AddError($"--constant-lr applies to the LeNet-300-100 job only, not with {job}: drop one of them.");
        if (job is not null && Given(Full))
            command.AddError($"--full (50,000 steps) applies to the LeNet-300-100 job only, not with {job}: give --steps N instead.");
        _data.Check(command);
        string data = command.GetValue(Data) ?? "mnist";
        if ((_data.FromFolder(data) || DataOptions.IsSequences(data)) && !Given(Model))
            command.AddError($"--data {data} applies with --model (LeNet-300-100 and --method take 28x28 digits): add --model NAME (e.g. " +
                $"{(DataOptions.IsSequences(data) ? "transformer-small" : "resnet20")}) or use --data mnist.");
        if (Given(Model)) DataOptions.CheckModel(command, command.GetValue(Model), data);
        if (DataOptions.IsSequences(data))
            foreach (var option in new Option[] { Augment, Export })
                if (Given(option))
                    command.AddError($"{option.Name} applies to image models (crops, flips and the export's image input), not to --data {data}: drop {option.Name}.");
    }
}
