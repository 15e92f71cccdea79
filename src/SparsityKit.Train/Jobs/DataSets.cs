using SparsityKit.Clusters;
using SparsityKit.Data;

namespace SparsityKit.Train.Jobs;

/// <summary>The data sets the training commands take by name.</summary>
internal static class DataSets
{
    /// <summary>A data set held as whole tensors: images, or sequence pairs packed for a Transformer; as a plan names it.</summary>
    /// <param name="directory">The folder CIFAR is read from, or the parallel text file (--data-dir); MNIST and Fashion-MNIST come from data/.</param>
    public static Dataset Load(string name, string? directory = null) => DataSpec.Named(name, directory).Load();

    /// <summary>The normalisation of a data set's inputs, for an export's description: one number for grey images, one per channel for colour.</summary>
    public static (object Mean, object Std) Normalisation(TrainRequest request)
    {
        switch (request.Data)
        {
            case "cifar10": return (CifarVersion.Cifar10.Mean, CifarVersion.Cifar10.Std);
            case "cifar100": return (CifarVersion.Cifar100.Mean, CifarVersion.Cifar100.Std);
            case "image-folder": return (ImageFolderDefaults.Mean, ImageFolderDefaults.Std);
            default:
                var (mean, std) = Datasets.Normalisation(request.Data);
                return (mean, std);
        }
    }

    // The image folder's transform as the command line uses it: ImageNet's channel statistics.
    private static readonly ImageFolderOptions ImageFolderDefaults = new();

    /// <summary>
    /// What a zoo model trains on: any of <see cref="Load"/>'s, or an image folder streamed from disk (ImageNet's channel
    /// statistics, at --image-size), as a plan names it.
    /// </summary>
    public static IDataSource ForZooModel(TrainRequest request) => DataSpec.Named(request.Data, request.DataDirectory, request.ImageSize).Open();
}
