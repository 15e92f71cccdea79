// The training commands: the root (whose options are the original flag forms, kept word for word: --list-models,
// --list-methods, --method NAME --sparsity S, --model NAME, --export DIR, --full), train, prune, export, models, methods.
using System.CommandLine;
using System.Runtime.CompilerServices;
using SparsityKit.Train.CommandLine;
using SparsityKit.Train.Jobs;

namespace SparsityKit.Train.Commands;

public static class TrainingCommands
{
    // Which request each training command reads from a parse, so that tests can see what a command line asks for without running it.
    private static readonly ConditionalWeakTable<Command, Func<ParseResult, TrainRequest>> Requests = [];

    /// <summary>What a parsed command line asks to train, or null when its command is not a training command.</summary>
    public static TrainRequest? RequestOf(ParseResult result) =>
        Requests.TryGetValue(result.CommandResult.Command, out var request) ? request(result) : null;

    /// <summary>
    /// The root command: with no subcommand, its options train as <c>train</c> does (LeNet-300-100; --model NAME; --method
    /// NAME --sparsity S), export with --export DIR, and list with --list-models and --list-methods.
    /// </summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("SparsityKit: train, prune and study sparse neural networks (TorchSharp, CPU). " +
            "With no command, the options below train as 'train' does: LeNet-300-100 on MNIST by default.");
        var options = new TrainOptions();
        var listModels = Options.Flag("--list-models", "One row per zoo model: name, prunable weights, all parameters, input (as 'models')");
        var listMethods = Options.Flag("--list-methods", "The catalog's methods with a line each (as 'methods')");
        options.AddTo(root);
        root.Options.Add(listModels);
        root.Options.Add(listMethods);
        root.Options.Add(ProgressDisplay.CreateOption());
        return WithRequest(root, result =>
            result.GetValue(listModels) ? new TrainRequest(TrainKind.ListModels)
            : result.GetValue(listMethods) ? new TrainRequest(TrainKind.ListMethods)
            : options.Request(result));
    }

    public static Command Train()
    {
        var options = new TrainOptions();
        var command = options.AddTo(new Command("train", "Train LeNet-300-100 on MNIST with Frankle and Carbin's settings (Adam 1.2e-3, batch 60; " +
            "6,000 steps, --full 50,000), any image model of the zoo (--model), or with a pruning method to a sparsity (--method, --sparsity)"));
        return WithRequest(command, result => options.Request(result));
    }

    public static Command Prune()
    {
        var options = new TrainOptions();
        var command = options.AddTo(new Command("prune", "Train LeNet-300-100 with a method of the catalog (default magnitude) to --sparsity; " +
            "ends with one line: the method, achieved sparsity and final test accuracy"),
            options.Method, options.Sparsity, options.Distribution, options.Recipe, options.Steps, options.Seed, options.Data, options.Export);
        options.Method.Description = "A method of the catalog (default magnitude; methods lists them)";
        options.Sparsity.Description = "Fraction of weights pruned (default 0.9)";
        options.Steps.Description = "Training steps (default 6,000)";
        return WithRequest(command, result => options.Request(result, TrainKind.Method, defaultMethod: "magnitude"));
    }

    public static Command Export()
    {
        var options = new TrainOptions();
        var directory = new Argument<string>("DIR") { Description = "Folder for model.pt, model.pruned.pt, model.safetensors, model.sksp, model.f16.sksp and model.json" };
        var command = options.AddTo(new Command("export", "Train LeNet-300-100 (dense, or with --method to --sparsity) and write it for PyTorch and SparsityKit"),
            options.Method, options.Sparsity, options.Distribution, options.Recipe, options.Steps, options.Full, options.Seed, options.Data, options.ConstantLr);
        options.Steps.Description = "Training steps (default 6,000; --full 50,000)";
        command.Arguments.Add(directory);
        return WithRequest(command, result => options.Request(result, exportDirectory: result.GetValue(directory)));
    }

    public static Command Models() =>
        WithRequest(new Command("models", "One row per zoo model: name, prunable weights, all parameters and input"), _ => new TrainRequest(TrainKind.ListModels));

    public static Command Methods() =>
        WithRequest(new Command("methods", "The catalog's pruning and sparse-training methods, a line each"), _ => new TrainRequest(TrainKind.ListMethods));

    private static T WithRequest<T>(T command, Func<ParseResult, TrainRequest> request) where T : Command
    {
        Requests.Add(command, request);
        command.SetAction(result => TrainAction.Run(request(result), ProgressDisplay.StyleOf(result)));
        return command;
    }
}
