// `--method NAME --sparsity S --steps N` (or `prune`): trains LeNet-300-100 on MNIST with any method of the catalog and
// ends with one line holding the achieved sparsity and the final test accuracy. With `--model NAME` the same for any
// image model of the zoo, on its data (CIFAR and image folders included) and its training settings (a --recipe or Adam).
using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;

namespace SparsityKit.Train.Jobs;

internal static class MethodJob
{
    public static int Run(TrainRequest request, ProgressStyle style) => request.Model is null ? RunLeNet(request, style) : RunZooModel(request, style);

    private static int RunLeNet(TrainRequest request, ProgressStyle style)
    {
        using var data = DataSets.Load(request.Data);
        var recipe = MethodRecipe.Find(request.Recipe);
        var config = recipe.Config(request.StepsOrDefault);
        var result = ProgressDisplay.Run(style, progress =>
            CatalogRun.Train(request.Method!, data, config, request.Sparsity, request.Seed,
                new CatalogOptions(request.Distribution, DropAndGrow: recipe.DropAndGrow), progress));
        if (request.Method == "structured") CompactionReport.Print(result.Model!, result.Masks!, data);
        // PyTorch state_dicts, safetensors and the sparse checkpoint of the pruned model (ModelExport.cs).
        if (request.ExportDirectory is not null)
            ModelExport.Export(request.ExportDirectory, "lenet300-100", result.Model!, result.Masks, data, request.Data, DataSets.Normalisation(request));
        Console.WriteLine(result);
        return 0;
    }

    private static int RunZooModel(TrainRequest request, ProgressStyle style)
    {
        var entry = Zoo.Find(request.Model!);   // TrainOptions matched the model to the data
        var data = DataSets.ForZooModel(request);
        using var release = data as IDisposable;
        Console.WriteLine(data);
        var config = ZooModelJob.Config(request);
        var architecture = (long seed, ILayerFactory layers) =>
            Zoo.Create(entry.Name, seed, layers: layers, device: data.Device, inputShape: data.ImageShape, classes: data.ClassCount);
        var result = ProgressDisplay.Run(style, progress =>
            CatalogRun.Train(request.Method!, data, config, request.Sparsity, request.Seed,
                new CatalogOptions(request.Distribution, Architecture: architecture), progress));
        if (request.ExportDirectory is not null)
            ModelExport.Export(request.ExportDirectory, entry.Name, result.Model!, result.Masks, data, request.Data, DataSets.Normalisation(request));
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
