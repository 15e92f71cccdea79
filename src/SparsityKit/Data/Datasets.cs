using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>The data sets SparsityKit knows, loaded whole onto a device with the official train/test split.</summary>
public static class Datasets
{
    // Per-pixel mean and standard deviation of each training set, after scaling bytes to [0, 1].
    private const double MnistMean = 0.1307, MnistStd = 0.3081;
    private const double FashionMean = 0.2860, FashionStd = 0.3530;

    /// <summary>The mean and std that a named data set's pixels (scaled to [0, 1]) are normalised with: (x - mean) / std.</summary>
    public static (double Mean, double Std) Normalisation(string dataset) =>
        new string(dataset.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant() switch
        {
            "mnist" => (MnistMean, MnistStd),
            "fashionmnist" => (FashionMean, FashionStd),
            _ => throw new ArgumentException($"No normalisation is known for data set '{dataset}': use MNIST or Fashion-MNIST."),
        };

    /// <summary>MNIST (60,000 train / 10,000 test, 28x28 grey digits), normalised with the training mean and std.</summary>
    /// <param name="device">Where the tensors go; default <see cref="Devices.Best"/>.</param>
    /// <param name="dataDirectory">Folder holding <c>mnist/</c>; default <see cref="DataDirectory.Locate"/>.</param>
    public static Dataset Mnist(Device? device = null, string? dataDirectory = null) =>
        LoadIdxSet("MNIST", "mnist", "", MnistMean, MnistStd, device, dataDirectory);

    /// <summary>Fashion-MNIST (60,000 train / 10,000 test, 28x28 grey clothing images), normalised.</summary>
    public static Dataset FashionMnist(Device? device = null, string? dataDirectory = null) =>
        LoadIdxSet("Fashion-MNIST", "fashion-mnist", ".gz", FashionMean, FashionStd, device, dataDirectory);

    /// <summary>
    /// A tiny learnable data set for tests and demos: each class is a random prototype image and each
    /// example is its class prototype plus Gaussian noise. Deterministic for a given seed.
    /// </summary>
    public static Dataset Synthetic(int trainCount = 600, int testCount = 200, int classCount = 10,
        int imageSize = 28, double noise = 0.5, long seed = 0, Device? device = null)
    {
        if (trainCount <= 0 || testCount <= 0) throw new ArgumentOutOfRangeException(nameof(trainCount), "Counts must be positive.");
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "At least two classes are needed.");
        var target = Devices.Resolve(device);
        using var scope = NewDisposeScope();
        using var generator = Seeding.Generator(seed);
        var prototypes = randn(new long[] { classCount, 1, imageSize, imageSize }, generator: generator);
        (Tensor images, Tensor labels) Draw(int count)
        {
            var labels = randint(classCount, new long[] { count }, generator: generator);
            var images = prototypes.index_select(0, labels) + noise * randn(new long[] { count, 1, imageSize, imageSize }, generator: generator);
            return (images.to(target), labels.to(target));
        }
        var (trainImages, trainLabels) = Draw(trainCount);
        var (testImages, testLabels) = Draw(testCount);
        var dataset = new Dataset($"Synthetic (seed {seed})", trainImages, trainLabels, testImages, testLabels, classCount);
        dataset.DetachAll();
        return dataset;
    }

    private static Dataset LoadIdxSet(string name, string folder, string suffix, double mean, double std,
        Device? device, string? dataDirectory)
    {
        var root = dataDirectory ?? DataDirectory.Locate();
        var target = Devices.Resolve(device);
        using var scope = NewDisposeScope();
        var (trainImages, trainLabels) = LoadSplit(root, folder, "train", suffix, mean, std, target);
        var (testImages, testLabels) = LoadSplit(root, folder, "t10k", suffix, mean, std, target);
        var dataset = new Dataset(name, trainImages, trainLabels, testImages, testLabels, classCount: 10);
        dataset.DetachAll();
        return dataset;
    }

    private static (Tensor Images, Tensor Labels) LoadSplit(string root, string folder, string split, string suffix,
        double mean, double std, Device device)
    {
        string imagesName = $"{folder}/{split}-images-idx3-ubyte{suffix}", labelsName = $"{folder}/{split}-labels-idx1-ubyte{suffix}";
        string imagesPath = Path.Combine(root, imagesName), labelsPath = Path.Combine(root, labelsName);
        Checksums.Verify(imagesPath, imagesName);
        Checksums.Verify(labelsPath, labelsName);
        return FromIdx(IdxReader.Read(imagesPath), imagesPath, IdxReader.Read(labelsPath), labelsPath, mean, std, device);
    }

    /// <summary>Turns IDX images [N, H, W] and labels [N] into normalised float images [N, 1, H, W] and int64 labels.</summary>
    internal static (Tensor Images, Tensor Labels) FromIdx(IdxArray images, string imagesPath, IdxArray labels, string labelsPath,
        double mean, double std, Device device)
    {
        if (images.Shape.Length != 3)
            throw new DataFileException(imagesPath, $"expected images of shape [N, height, width], found [{string.Join(", ", images.Shape)}].",
                "Check that the images and labels files were not swapped.");
        if (labels.Shape.Length != 1)
            throw new DataFileException(labelsPath, $"expected labels of shape [N], found [{string.Join(", ", labels.Shape)}].",
                "Check that the images and labels files were not swapped.");
        if (images.Count != labels.Count)
            throw new DataFileException(labelsPath, $"image/label count mismatch: {labels.Count} labels but {images.Count} images in {imagesPath}.",
                "The two files come from different sets or one is damaged: delete both and run bash scripts/fetch-data.sh.");
        var shape = new long[] { images.Shape[0], 1, images.Shape[1], images.Shape[2] };
        var pixels = tensor(images.Values, shape, dtype: ScalarType.Byte).to(device);
        var normalised = pixels.to(ScalarType.Float32).div_(255.0).sub_(mean).div_(std);
        var classes = tensor(labels.Values, new long[] { labels.Count }, dtype: ScalarType.Byte).to(device).to(ScalarType.Int64);
        return (normalised, classes);
    }
}
