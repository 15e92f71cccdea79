// `--method NAME --sparsity S --steps N` (or `prune`): trains LeNet-300-100 on MNIST with any method of the catalog and
// ends with one line holding the achieved sparsity and the final test accuracy.
using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;

namespace SparsityKit.Train.Jobs;

internal static class MethodJob
{
    public static int Run(TrainRequest request, ProgressStyle style)
    {
        using var data = DataSets.Load(request.Data);
        var recipe = MethodRecipe.Find(request.Recipe);
        var config = recipe.Config(request.StepsOrDefault);
        var result = ProgressDisplay.Run(style, progress =>
            CatalogRun.Train(request.Method!, data, config, request.Sparsity, request.Seed,
                new CatalogOptions(request.Distribution, DropAndGrow: recipe.DropAndGrow), progress));
        if (request.Method == "structured") CompactionReport.Print(result.Model!, result.Masks!, data);
        // PyTorch state_dicts, safetensors and the sparse checkpoint of the pruned model (ModelExport.cs).
        if (request.ExportDirectory is not null) ModelExport.Export(request.ExportDirectory, "lenet300-100", result.Model!, result.Masks, data, request.Data);
        Console.WriteLine(result);
        return 0;
    }

    /// <summary>The catalog's names, one per line with a description.</summary>
    public static int List()
    {
        foreach (var entry in MethodCatalog.Entries) Console.WriteLine(entry);
        return 0;
    }
}
