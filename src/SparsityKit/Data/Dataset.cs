using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// A classification data set held as whole tensors on one device: images as float32
/// [N, channels, height, width] (normalised) and labels as int64 [N]. Batches are gathered from these
/// tensors by index, so no per-batch copy of the whole set is ever made.
/// </summary>
public sealed class Dataset : IDataSource, IDisposable
{
    public Dataset(string name, Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels,
        int classCount, Tensor? validationImages = null, Tensor? validationLabels = null)
    {
        if (trainImages.shape[0] != trainLabels.shape[0])
            throw new ArgumentException($"{name}: {trainImages.shape[0]} training images but {trainLabels.shape[0]} labels.");
        if (testImages.shape[0] != testLabels.shape[0])
            throw new ArgumentException($"{name}: {testImages.shape[0]} test images but {testLabels.shape[0]} labels.");
        Name = name;
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        ValidationImages = validationImages;
        ValidationLabels = validationLabels;
        ClassCount = classCount;
    }

    public string Name { get; }
    public Tensor TrainImages { get; }
    public Tensor TrainLabels { get; }
    public Tensor TestImages { get; }
    public Tensor TestLabels { get; }

    /// <summary>Held-out part of the official training set, when split off with <see cref="WithValidation"/>.</summary>
    public Tensor? ValidationImages { get; }
    public Tensor? ValidationLabels { get; }

    public int ClassCount { get; }
    public Device Device => TrainImages.device;
    public long TrainCount => TrainImages.shape[0];
    public long TestCount => TestImages.shape[0];

    /// <summary>The shape of one image: [channels, height, width].</summary>
    public long[] ImageShape => TrainImages.shape[1..];

    /// <summary>Number of input features of one image when flattened.</summary>
    public long FeatureCount => ImageShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Splits <paramref name="count"/> randomly chosen (by <paramref name="seed"/>) examples off the training
    /// set as a validation set, as Frankle and Carbin do (55K train / 5K validation for MNIST).
    /// </summary>
    public Dataset WithValidation(int count, long seed = 0)
    {
        if (count <= 0 || count >= TrainCount)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A validation set must hold between 1 and {TrainCount - 1} examples.");
        using var scope = NewDisposeScope();
        using var generator = Seeding.Generator(seed);
        var order = randperm(TrainCount, generator: generator).to(Device);
        var validation = order.narrow(0, 0, count);
        var train = order.narrow(0, count, TrainCount - count);
        var result = new Dataset($"{Name} (validation {count})",
            TrainImages.index_select(0, train), TrainLabels.index_select(0, train),
            TestImages.alias(), TestLabels.alias(), ClassCount,
            TrainImages.index_select(0, validation), TrainLabels.index_select(0, validation));
        result.DetachAll();
        return result;
    }

    /// <summary>Batches gathered from the training tensors in a seeded order (<see cref="SampledBatches"/>).</summary>
    public IBatchStream TrainingBatches(int batchSize, long seed, Augmentation? augmentation = null) =>
        new SampledBatches(TrainImages, TrainLabels, batchSize, seed, augmentation);

    /// <summary>Views of the first training examples.</summary>
    public (Tensor Inputs, Tensor Labels) TrainingProbe(long count)
    {
        long n = Math.Min(count, TrainCount);
        return (TrainImages.narrow(0, 0, n), TrainLabels.narrow(0, 0, n));
    }

    public IEnumerable<(Tensor Inputs, Tensor Labels)> TestBatches(int batchSize) => Slices(TestImages, TestLabels, batchSize);

    public IEnumerable<(Tensor Inputs, Tensor Labels)>? ValidationBatches(int batchSize) =>
        ValidationImages is null || ValidationLabels is null ? null : Slices(ValidationImages, ValidationLabels, batchSize);

    private static IEnumerable<(Tensor, Tensor)> Slices(Tensor images, Tensor labels, int batchSize)
    {
        long n = images.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            long size = Math.Min(batchSize, n - start);
            yield return (images.narrow(0, start, size), labels.narrow(0, start, size));
        }
    }

    /// <summary>A copy of this data set on another device.</summary>
    public Dataset To(Device device)
    {
        var result = new Dataset(Name, TrainImages.to(device), TrainLabels.to(device), TestImages.to(device),
            TestLabels.to(device), ClassCount, ValidationImages?.to(device), ValidationLabels?.to(device));
        result.DetachAll();
        return result;
    }

    public override string ToString() =>
        $"{Name}: {TrainCount} train / {(ValidationImages is null ? "" : $"{ValidationImages.shape[0]} validation / ")}" +
        $"{TestCount} test, images {string.Join("x", ImageShape)}, {ClassCount} classes, on {Device}";

    // A data set outlives any dispose scope it was made in.
    internal void DetachAll()
    {
        foreach (var t in Tensors()) t.DetachFromDisposeScope();
    }

    private IEnumerable<Tensor> Tensors()
    {
        yield return TrainImages; yield return TrainLabels; yield return TestImages; yield return TestLabels;
        if (ValidationImages is not null) yield return ValidationImages;
        if (ValidationLabels is not null) yield return ValidationLabels;
    }

    public void Dispose()
    {
        foreach (var t in Tensors()) t.Dispose();
    }
}
