// The "lottery" command: iterative magnitude pruning with rewinding (Frankle and Carbin) on LeNet-300-100 and MNIST, or
// on any image model of the zoo (--model) and CIFAR (--data cifar10 --data-dir DIR), with a published recipe (--recipe),
// with its controls, resumable through a run store; prints accuracy at early stopping and at the end per round.
// (`replicate lottery` is the paper-size version of the same experiment.)
using System.CommandLine;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;

namespace SparsityKit.Train.Commands;

public static class LotteryCommand
{
    private static readonly Dictionary<string, LotteryControls> ControlNames = new()
    {
        ["none"] = LotteryControls.None, ["random-reinit"] = LotteryControls.RandomReinit, ["random-mask"] = LotteryControls.RandomMask,
        ["scratch-b"] = LotteryControls.ScratchB, ["all"] = LotteryControls.All,
    };

    public static Command Create()
    {
        var rounds = Options.Int("--rounds", "Pruning rounds (default 5)", 1, "5");
        var rate = Options.Double("--rate", "Fraction of the remaining weights pruned per round and layer (default 0.2)", double.Epsilon, 1, "0.2", maximumExcluded: true, helpName: "R");
        var outputRate = Options.Double("--output-rate", "Rate for the output layer (default 0.1, as Frankle and Carbin)", 0, 1, "0.1", maximumExcluded: true, helpName: "R");
        var steps = Options.Int("--steps", "Training steps per round (default 1,000; the paper: 50,000)", 1, "1000");
        var seeds = Options.LongList("--seeds", "Seeds, one chain of rounds each (default 1)", "1,2");
        var rewind = Options.Int("--rewind-step", "Rewind to the weights at this step (default 0: the initialisation; late rewinding > 0)", 0, "500");
        var global = Options.Flag("--global", "Prune globally across layers instead of per layer");
        var controls = Options.Named("--controls", "Controls beside the tickets: none, all, or a comma list of random-reinit, random-mask, scratch-b (default random-reinit,random-mask)",
            "LIST", [], [.. ControlNames.Keys], text => TryControls(text, out _), $"use none, all, or a comma list of {string.Join(", ", ControlNames.Keys.Where(k => k is not ("none" or "all")))}");
        var store = Options.Text("--store", "Run store: finished runs are kept and not trained again (default: a temporary folder)", "DIR");
        var dataOptions = new DataOptions(sequences: true);
        var (data, dataDirectory) = (dataOptions.Data, dataOptions.Directory);
        var model = Options.Named("--model", "Zoo model (default lenet300-100; models lists them); transformer-small with --data copy, reverse or parallel-text",
            "NAME", [], Zoo.Names, name => { try { Zoo.Find(name); return true; } catch (ArgumentException) { return false; } },
            $"use a model of the zoo ({string.Join(", ", Zoo.Models.Select(m => m.Name))})");
        var recipe = Options.Choice("--recipe", $"A published training recipe (default: Adam 1.2e-3, batch 60): {string.Join(", ", Jobs.ZooRecipe.Names)}",
            Jobs.ZooRecipe.Names);
        var command = new Command("lottery", "Lottery tickets (Frankle and Carbin): LeNet-300-100 (or --model) pruned by magnitude round by round, rewound each round, " +
            "with random-reinit and random-mask controls; resumable through --store")
        {
            rounds, rate, outputRate, steps, seeds, rewind, global, controls, store, data, dataDirectory, model, recipe,
        };
        command.Validators.Add(dataOptions.Check);
        command.Validators.Add(c => DataOptions.CheckModel(c, c.GetValue(model), c.GetValue(data) ?? "mnist"));
        command.SetAction(result =>
        {
            using var loaded = Jobs.DataSets.Load(result.GetValue(data) ?? "mnist", result.GetValue(dataDirectory));
            using var dataset = loaded.WithValidation(5_000, seed: 0);   // Frankle and Carbin's 55K/5K (MNIST) and 45K/5K (CIFAR)
            TryControls(result.GetValue(controls) ?? "random-reinit,random-mask", out var chosen);
            var training = result.GetValue(recipe) is { } name ? Jobs.ZooRecipe.Find(name).Config : Presets.LotteryTicketLeNet300;
            var config = training with { Steps = result.GetValue(steps) ?? 1_000, EvaluateEvery = 100 };
            var lottery = new LotteryConfig
            {
                Rounds = result.GetValue(rounds) ?? 5, Rate = result.GetValue(rate) ?? 0.2, OutputLayerRate = result.GetValue(outputRate) ?? 0.1,
                Seeds = result.GetValue(seeds) ?? [1], RewindStep = result.GetValue(rewind) ?? 0, Global = result.GetValue(global),
                Controls = chosen, SeedSetsBatchOrder = true,
            };
            var runStore = result.GetValue(store) is { } directory ? new RunStore(directory) : null;
            // LeNet-300-100 keeps its own name and factory, so stores made before --model existed are found again.
            string? zooName = result.GetValue(model) is { } m ? Zoo.Find(m).Name : null;
            ModelFactory factory = zooName is null or "lenet300"
                ? seed => Zoo.LeNet300_100(seed, device: dataset.Device)
                : seed => Zoo.Create(zooName, seed, device: dataset.Device, inputShape: dataset.ImageShape, classes: dataset.ClassCount);
            string experiment = zooName is null or "lenet300" ? "lenet300-lottery" : $"{zooName}-lottery";
            Console.WriteLine($"{dataset}\n{config.Steps} steps per round, {config.Optimizer}, batch {config.BatchSize}; {lottery}");
            var outcome = ProgressDisplay.Run(ProgressDisplay.StyleOf(result), progress =>
                Lottery.Run(experiment, factory, dataset, config, lottery, runStore, progress),
                lineInterval: TimeSpan.FromSeconds(10));
            Console.WriteLine($"{outcome.Computed} runs computed, {outcome.Loaded} loaded");
            Console.WriteLine(RecordSummary.Table(outcome.Records, r => r.EarlyStopTestAccuracy, "test accuracy at early stopping (minimum validation loss)"));
            Console.WriteLine(RecordSummary.Table(outcome.Records, r => r.TestAccuracy, "test accuracy at the end of training"));
            return 0;
        });
        return command;
    }

    private static bool TryControls(string text, out LotteryControls controls)
    {
        controls = LotteryControls.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ControlNames.TryGetValue(part, out var control)) return false;
            controls |= control;
        }
        return true;
    }
}
