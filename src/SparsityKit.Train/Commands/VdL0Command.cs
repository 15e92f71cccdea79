// The "vdl0" command (formerly tools/SparsityKit.VdL0): issue 5's sparse variational dropout and per-weight L0
// regularization on MNIST LeNet-300-100, single runs and searches of the regularisation knob for a target sparsity.
// One thread by default, so that it can share a small machine. docs/variational-dropout-and-l0.md has the settings and results.
using System.CommandLine;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Train.CommandLine;
using SparsityKit.Train.VdL0;
using TorchSharp;

namespace SparsityKit.Train.Commands;

public static class VdL0Command
{
    public static Command Create()
    {
        var command = new Command("vdl0", "Sparse variational dropout and L0 regularization on MNIST LeNet-300-100 (issue 5): runs and knob searches");
        command.Subcommands.Add(Experiment("vd", "Train with sparse variational dropout (Molchanov et al.)", vd: true, search: false));
        command.Subcommands.Add(Experiment("l0", "Train with per-weight L0 regularization (Louizos et al.)", vd: false, search: false));
        command.Subcommands.Add(Experiment("vd-search", "Search the KL weight for --target sparsity (one vd run per trial)", vd: true, search: true));
        command.Subcommands.Add(Experiment("l0-search", "Search lambda for --target sparsity (one l0 run per trial)", vd: false, search: true));
        return command;
    }

    private static Command Experiment(string name, string description, bool vd, bool search)
    {
        var d = new ExperimentOptions();
        var seed = Options.Long("--seed", "Seed (default 1)", "2");
        var epochs = Options.Int("--epochs", "Training epochs (default 30)", 1, "30");
        var batch = Options.Int("--batch", "Batch size (default 100)", 1, "100");
        var lr = Options.Double("--lr", "Adam learning rate (default 1e-3)", double.Epsilon, double.PositiveInfinity, "1e-3", helpName: "RATE");
        var flat = Options.Double("--flat", "Fraction of training at the full rate, then linear to 0 (default 0.5)", 0, 1, "0.5", helpName: "F");
        var evaluateEvery = Options.Int("--evaluate-every", "Epochs between test evaluations (default 5)", 1, "5");
        var threads = Options.Int("--threads", "libtorch threads (default 1)", 1, "2");
        var command = new Command(name, description) { seed, epochs, batch, lr, flat, evaluateEvery, threads };
        var klWeight = Options.Double("--kl-weight", "Weight of the KL term (default 1; a search starts here)", 0, double.PositiveInfinity, "1", helpName: "W");
        var klZero = Options.Double("--kl-zero-epochs", "Epochs with the KL term off (default 2)", 0, double.PositiveInfinity, "2", helpName: "E");
        var klRamp = Options.Double("--kl-ramp-epochs", "Epochs of the linear KL ramp after those (default 8)", 0, double.PositiveInfinity, "8", helpName: "E");
        var threshold = Options.Double("--threshold", "log-alpha threshold above which a weight is pruned (default 3)", double.NegativeInfinity, double.PositiveInfinity, "3", helpName: "T");
        var pretrain = Options.Int("--pretrain-epochs", "Dense epochs before variational dropout starts from the trained weights (default 0)", 0, "5");
        var thresholdSparsities = Options.FractionList("--threshold-sparsities", "After training, move the log-alpha threshold to each sparsity and evaluate", "0.9,0.95,0.99");
        var lambda = Options.Double("--lambda", "L0 penalty weight (default 0.1; a search starts here)", 0, double.PositiveInfinity, "0.1", helpName: "L");
        var dropRate = Options.Double("--drop-rate", "Initial drop rate of the gates (default 0.5)", double.Epsilon, 1, "0.5", maximumExcluded: true, helpName: "P");
        var target = Options.Double("--target", "Target sparsity of the search (default 0.95)", 0, 1, "0.95", maximumExcluded: true, helpName: "S");
        var trials = Options.Int("--trials", "Most trials of the search (default 5)", 1, "5");
        var tolerance = Options.Double("--tolerance", "How close to --target is close enough (default 0.005)", 0, 1, "0.005", helpName: "T");
        var factor = Options.Double("--factor", "Factor the knob moves by before the search brackets the target (default 4)", 1.000001, double.PositiveInfinity, "4", helpName: "F");
        if (vd) foreach (var o in new Option[] { klWeight, klZero, klRamp, threshold, pretrain, thresholdSparsities }) command.Options.Add(o);
        else { command.Options.Add(lambda); command.Options.Add(dropRate); }
        if (search) foreach (var o in new Option[] { target, trials, tolerance, factor }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var options = new ExperimentOptions
            {
                Seed = result.GetValue(seed) ?? d.Seed, Epochs = result.GetValue(epochs) ?? d.Epochs, BatchSize = result.GetValue(batch) ?? d.BatchSize,
                LearningRate = result.GetValue(lr) ?? d.LearningRate, FlatFraction = result.GetValue(flat) ?? d.FlatFraction,
                EvaluateEveryEpochs = result.GetValue(evaluateEvery) ?? d.EvaluateEveryEpochs, Threads = result.GetValue(threads) ?? d.Threads,
                KlWeight = result.GetValue(klWeight) ?? d.KlWeight, KlZeroEpochs = result.GetValue(klZero) ?? d.KlZeroEpochs,
                KlRampEpochs = result.GetValue(klRamp) ?? d.KlRampEpochs, Threshold = result.GetValue(threshold) ?? d.Threshold,
                PretrainEpochs = result.GetValue(pretrain) ?? d.PretrainEpochs, ThresholdSparsities = result.GetValue(thresholdSparsities) ?? d.ThresholdSparsities,
                Lambda = result.GetValue(lambda) ?? d.Lambda, InitialDropRate = result.GetValue(dropRate) ?? d.InitialDropRate,
                TargetSparsity = result.GetValue(target) ?? d.TargetSparsity, MaxTrials = result.GetValue(trials) ?? d.MaxTrials,
                Tolerance = result.GetValue(tolerance) ?? d.Tolerance, Factor = result.GetValue(factor) ?? d.Factor,
            };
            return Run(name, vd, search, options, ProgressDisplay.StyleOf(result));
        });
        return command;
    }

    private static int Run(string name, bool vd, bool search, ExperimentOptions options, ProgressStyle style)
    {
        torch.set_num_threads(options.Threads);
        using var data = Datasets.Mnist();
        Console.WriteLine($"{data}; {name} {options}");
        ProgressDisplay.Run(style, progress =>
        {
            RunResult Once(double knob) => vd ? VdL0.Experiments.VariationalDropoutRun(data, options, knob, progress) : VdL0.Experiments.L0Run(data, options, knob, progress);
            double start = vd ? options.KlWeight : options.Lambda;
            if (!search) return Once(start);
            var result = SparsitySearch.Run(options.TargetSparsity, knob => { var r = Once(knob); return (r, r.Sparsity); },
                start, options.Factor, options.MaxTrials, options.Tolerance, t => Console.WriteLine($"trial {t.Knob:G4}: {t.Result}"));
            Console.WriteLine(result);
            Console.WriteLine("all trials (plot at achieved sparsity):");
            foreach (var t in result.Trials) Console.WriteLine($"  {t.Result}");
            Console.WriteLine($"best: {result.Best.Result}");
            return result.Best.Result;
        });
        return 0;
    }
}
