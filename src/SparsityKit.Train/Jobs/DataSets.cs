using SparsityKit.Data;

namespace SparsityKit.Train.Jobs;

/// <summary>The data sets the training commands take by name.</summary>
internal static class DataSets
{
    /// <summary>A data set held as whole tensors: images, or sequence pairs packed for a Transformer.</summary>
    /// <param name="directory">The folder CIFAR is read from, or the parallel text file (--data-dir); MNIST and Fashion-MNIST come from data/.</param>
    public static Dataset Load(string name, string? directory = null) => name switch
    {
        "mnist" => Datasets.Mnist(),
        "fashion-mnist" => Datasets.FashionMnist(),
        "cifar10" or "cifar100" or "parallel-text" when directory is null =>
            throw new ArgumentException($"--data {name} is read from a path you name: add --data-dir PATH."),
        "cifar10" => Cifar.Load(directory, CifarVersion.Cifar10),
        "cifar100" => Cifar.Load(directory, CifarVersion.Cifar100),
        // As a sweep's plan names them: 10,000 training and 1,000 test pairs, always the same; the file with words as tokens.
        "copy" => SparsityKit.Clusters.DataSpec.Sequences(SequenceTask.Copy).Load(),
        "reverse" => SparsityKit.Clusters.DataSpec.Sequences(SequenceTask.Reverse).Load(),
        "parallel-text" => SparsityKit.Clusters.DataSpec.ParallelText(directory).Load(),
        _ => throw new ArgumentException($"Unknown data set '{name}' (--data): use mnist, fashion-mnist, cifar10, cifar100, copy, reverse or parallel-text."),
    };

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
    /// What a zoo model trains on: any of <see cref="Load"/>'s, an image folder streamed from disk, or sequence pairs for a
    /// Transformer, packed (<see cref="PackedSequencePairs"/>).
    /// </summary>
    public static IDataSource ForZooModel(TrainRequest request) => request.Data switch
    {
        "image-folder" when request.DataDirectory is null =>
            throw new ArgumentException("--data image-folder is read from a folder you name: add --data-dir DIR."),
        "image-folder" => ImageFolder.Open(request.DataDirectory, ImageFolderDefaults with { Size = request.ImageSize ?? 224 }),
        _ => Load(request.Data, request.DataDirectory),
    };
}
