using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// An <see cref="ImageFolder"/>'s training batches: epoch e visits the files in a permutation drawn from a generator
/// seeded by (seed, e), cut into batches (an incomplete last batch is dropped), decoded ahead on a background thread.
/// The position is (epoch, batch), so a checkpoint resumes the stream exactly: the same files in the same order, and
/// the same augmentation draws.
/// </summary>
public sealed class ImageFolderBatches : IBatchStream
{
    private readonly ImageFolder _folder;
    private readonly int _batchSize;
    private readonly long _seed;
    private readonly Augmentation? _augmentation;
    private readonly Generator? _generator;
    private Prefetcher? _prefetcher;
    private long _epoch, _batch;

    public ImageFolderBatches(ImageFolder folder, int batchSize, long seed, Augmentation? augmentation = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        if (batchSize > folder.TrainCount)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size is larger than the {folder.TrainCount} training images in {folder.Root}.");
        _folder = folder;
        _batchSize = batchSize;
        _seed = seed;
        _augmentation = augmentation;
        if (augmentation is not null)
        {
            augmentation.Validate([batchSize, .. folder.ImageShape]);
            _generator = Augmentation.Generator(seed);
        }
    }

    public long BatchesPerEpoch => _folder.TrainCount / _batchSize;

    public (Tensor Inputs, Tensor Labels) Next()
    {
        _prefetcher ??= new Prefetcher(Batches(_epoch, _batch), indices => _folder.Decode(_folder.TrainFiles, indices), _folder.Options.Prefetch);
        var decoded = _prefetcher.Take() ?? throw new InvalidOperationException("The training stream ended, which it never should.");
        if (++_batch == BatchesPerEpoch) (_epoch, _batch) = (_epoch + 1, 0);
        var (inputs, labels) = _folder.ToDevice(decoded);
        return (_augmentation is null ? inputs : _augmentation.Apply(inputs, _generator!), labels);
    }

    /// <summary>The file order of one epoch, the same for the same seed and epoch.</summary>
    public long[] EpochOrder(long epoch)
    {
        using var generator = Seeding.Generator(unchecked(_seed ^ (epoch * -7046029254386353131L)));
        using var order = randperm(_folder.TrainCount, generator: generator);
        return order.data<long>().ToArray();
    }

    // Every batch from a position on, epoch after epoch.
    private IEnumerable<int[]> Batches(long epoch, long batch)
    {
        for (; ; epoch++, batch = 0)
        {
            var order = EpochOrder(epoch);
            for (; batch < BatchesPerEpoch; batch++)
                yield return order.Skip((int)(batch * _batchSize)).Take(_batchSize).Select(i => (int)i).ToArray();
        }
    }

    public IEnumerable<KeyValuePair<string, Tensor>> State()
    {
        yield return new("position", tensor(new[] { _epoch, _batch }));
        if (_generator is not null) yield return new("augmentation", _generator.get_state());
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("position", out var position))
            throw new InvalidDataException("The checkpoint has no image-folder stream position: it was made by a run on other data.");
        var values = position.to(ScalarType.Int64).data<long>().ToArray();
        _prefetcher?.Dispose();
        _prefetcher = null;
        (_epoch, _batch) = (values[0], values[1]);
        if (_generator is null) return;
        if (!state.TryGetValue("augmentation", out var generator))
            throw new InvalidDataException("The checkpoint has no augmentation state: it was made by a run without augmentation.");
        using var bytes = generator.to(ScalarType.Byte);
        _generator.set_state(bytes);
    }

    public void Dispose()
    {
        _prefetcher?.Dispose();
        _generator?.Dispose();
    }
}
