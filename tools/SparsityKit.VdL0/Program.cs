// Issue 5's experiments: sparse variational dropout and per-weight L0 regularization on MNIST LeNet-300-100,
// single runs and searches of the regularisation knob for a target sparsity. Runs on one thread by default,
// so that it can share a small machine. See docs/variational-dropout-and-l0.md for the settings and results.
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.VdL0;
using TorchSharp;

ExperimentOptions options;
try
{
    options = ExperimentOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}\n{ExperimentOptions.Usage}");
    return 2;
}
if (options.Command is "help" or "--help" or "-h")
{
    Console.WriteLine(ExperimentOptions.Usage);
    return 0;
}

torch.set_num_threads(options.Threads);
using var data = Datasets.Mnist();
Console.WriteLine($"{data}; {options}");
switch (options.Command)
{
    case "vd":
        Experiments.VariationalDropoutRun(data, options, options.KlWeight);
        break;
    case "l0":
        Experiments.L0Run(data, options, options.Lambda);
        break;
    case "vd-search":
    case "l0-search":
        bool vd = options.Command == "vd-search";
        var search = SparsitySearch.Run(options.TargetSparsity, knob =>
            {
                var r = vd ? Experiments.VariationalDropoutRun(data, options, knob) : Experiments.L0Run(data, options, knob);
                return (r, r.Sparsity);
            },
            vd ? options.KlWeight : options.Lambda, options.Factor, options.MaxTrials, options.Tolerance,
            t => Console.WriteLine($"trial {t.Knob:G4}: {t.Result}"));
        Console.WriteLine(search);
        Console.WriteLine("all trials (plot at achieved sparsity):");
        foreach (var t in search.Trials) Console.WriteLine($"  {t.Result}");
        Console.WriteLine($"best: {search.Best.Result}");
        break;
    default:
        Console.Error.WriteLine($"error: unknown command '{options.Command}'.\n{ExperimentOptions.Usage}");
        return 2;
}
return 0;
