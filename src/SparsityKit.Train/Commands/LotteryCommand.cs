// The "lottery" command: iterative magnitude pruning with rewinding (Frankle and Carbin) on LeNet-300-100 and MNIST,
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
        var data = Options.Choice("--data", "Data set: mnist (default) or fashion-mnist", Jobs.TrainOptions.DataSets, "--dataset");
        var command = new Command("lottery", "Lottery tickets (Frankle and Carbin): LeNet-300-100 pruned by magnitude round by round, rewound each round, " +
            "with random-reinit and random-mask controls; resumable through --store")
        {
            rounds, rate, outputRate, steps, seeds, rewind, global, controls, store, data,
        };
        command.SetAction(result =>
        {
            using var mnist = Jobs.DataSets.Load(result.GetValue(data) ?? "mnist");
            using var dataset = mnist.WithValidation(5_000, seed: 0);
            TryControls(result.GetValue(controls) ?? "random-reinit,random-mask", out var chosen);
            var config = Presets.LotteryTicketLeNet300 with { Steps = result.GetValue(steps) ?? 1_000, EvaluateEvery = 100 };
            var lottery = new LotteryConfig
            {
                Rounds = result.GetValue(rounds) ?? 5, Rate = result.GetValue(rate) ?? 0.2, OutputLayerRate = result.GetValue(outputRate) ?? 0.1,
                Seeds = result.GetValue(seeds) ?? [1], RewindStep = result.GetValue(rewind) ?? 0, Global = result.GetValue(global),
                Controls = chosen, SeedSetsBatchOrder = true,
            };
            var runStore = result.GetValue(store) is { } directory ? new RunStore(directory) : null;
            Console.WriteLine($"{dataset}\n{config.Steps} steps per round, Adam 1.2e-3, batch 60; {lottery}");
            var outcome = ProgressDisplay.Run(ProgressDisplay.StyleOf(result), progress =>
                Lottery.Run("lenet300-lottery", seed => Zoo.LeNet300_100(seed, device: dataset.Device), dataset, config, lottery, runStore, progress),
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
