// `--method NAME --sparsity S --steps N`: trains LeNet-300-100 on MNIST with any method of the catalog and ends with one
// line holding the achieved sparsity and the final test accuracy. `--list-methods` lists the names.
using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Training;

internal static class MethodCommand
{
    /// <summary>Whether the arguments ask for this command.</summary>
    public static bool Handles(string[] args) => args.Contains("--method") || args.Contains("--list-methods");

    public static int Run(string[] args)
    {
        string? method = null, distribution = null, exportDirectory = null;
        string dataset = "mnist";
        double sparsity = 0.9;
        int steps = 6_000;
        long seed = 1;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--list-methods":
                    foreach (var entry in MethodCatalog.Entries) Console.WriteLine(entry);
                    return 0;
                case "--method": method = Value(); break;
                case "--sparsity": sparsity = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(Value()); break;
                case "--seed": seed = long.Parse(Value()); break;
                case "--distribution": distribution = Value(); break;
                case "--dataset" or "--data": dataset = Value(); break;
                case "--export": exportDirectory = Value(); break;
                default:
                    Console.Error.WriteLine($"error: unknown argument '{args[i]}'. usage: SparsityKit.Train --method NAME [--sparsity S] [--steps N] " +
                        "[--seed S] [--distribution uniform|first-layer-dense|erk|er|global] [--dataset mnist|fashion-mnist] [--export DIR] | --list-methods");
                    return 2;
            }
        }
        if (method is null) { Console.Error.WriteLine("error: --method needs a name; --list-methods lists them."); return 2; }
        try
        {
            using var data = dataset == "fashion-mnist" ? Datasets.FashionMnist() : dataset == "mnist" ? Datasets.Mnist()
                : throw new ArgumentException($"Unknown data set '{dataset}': use mnist or fashion-mnist.");
            var config = Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = new CosineDecay(), EvaluateEvery = 0 };
            var result = CatalogRun.Train(method, data, config, sparsity, seed, new CatalogOptions(distribution), new ConsoleProgress());
            if (method == "structured") CompactionReport.Print(result.Model!, result.Masks!, data);
            // PyTorch state_dicts, safetensors and the sparse checkpoint of the pruned model (ExportCommand.cs).
            if (exportDirectory is not null) ExportCommand.Export(exportDirectory, "lenet300-100", result.Model!, result.Masks, data, dataset);
            Console.WriteLine(result);
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
