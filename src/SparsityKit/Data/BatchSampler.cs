using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// Seeded mini-batch order over <c>count</c> examples: a fresh permutation each epoch, cut into batches of
/// <c>batchSize</c> (an incomplete last batch is dropped). Each batch is an index tensor, a view into the
/// permutation, for <c>index_select</c> on the whole data tensors.
/// </summary>
public sealed class BatchSampler : IDisposable
{
    private readonly long _count;
    private readonly Generator _generator;
    private readonly Device _device;
    private Tensor? _order;
    private long _offset;

    public BatchSampler(long count, int batchSize, long seed, Device device)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        if (batchSize > count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size is larger than the {count} examples.");
        _count = count;
        BatchSize = batchSize;
        _generator = Seeding.Generator(seed);
        _device = device;
    }

    public int BatchSize { get; }

    /// <summary>Complete batches in one pass over the data.</summary>
    public long BatchesPerEpoch => _count / BatchSize;

    /// <summary>The indices of the next batch. The tensor belongs to the caller's dispose scope.</summary>
    public Tensor Next()
    {
        if (_order is null || _offset + BatchSize > _count)
        {
            _order?.Dispose();
            // The permutation lives across steps, so it must not belong to the step's dispose scope.
            var order = randperm(_count, generator: _generator);
            if (_device.type != TorchSharp.DeviceType.CPU)
            {
                var moved = order.to(_device);
                order.Dispose();
                order = moved;
            }
            _order = order.DetachFromDisposeScope();
            _offset = 0;
        }
        var batch = _order.narrow(0, _offset, BatchSize);
        _offset += BatchSize;
        return batch;
    }

    /// <summary>The sampler's position (generator state, current order, offset), for a checkpoint.</summary>
    internal IEnumerable<KeyValuePair<string, Tensor>> State()
    {
        yield return new("generator", _generator.get_state());
        yield return new("offset", tensor((float)_offset));
        if (_order is not null) yield return new("order", _order.cpu());
    }

    /// <summary>Continues from a checkpoint's position: the batches that follow are those an uninterrupted run draws.</summary>
    internal void Restore(IReadOnlyDictionary<string, Tensor> state)
    {
        using (var generator = state["generator"].to(ScalarType.Byte)) _generator.set_state(generator);
        _offset = (long)state["offset"].item<float>();
        _order?.Dispose();
        _order = state.TryGetValue("order", out var order) ? order.to(ScalarType.Int64).to(_device).DetachFromDisposeScope() : null;
    }

    public void Dispose()
    {
        _order?.Dispose();
        _generator.Dispose();
    }
}
