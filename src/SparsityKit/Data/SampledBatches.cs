using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// Training batches gathered from whole tensors by a <see cref="BatchSampler"/>'s indices, then augmented on the
/// device if asked. Without augmentation the batches are exactly those the training loop has always drawn.
/// </summary>
public sealed class SampledBatches : IBatchStream
{
    private readonly Tensor _images, _labels;
    private readonly BatchSampler _sampler;
    private readonly Augmentation? _augmentation;
    private readonly Generator? _generator;

    public SampledBatches(Tensor images, Tensor labels, int batchSize, long seed, Augmentation? augmentation = null)
    {
        _images = images;
        _labels = labels;
        _sampler = new BatchSampler(images.shape[0], batchSize, seed, images.device);
        _augmentation = augmentation;
        if (augmentation is not null)
        {
            augmentation.Validate(images.shape);
            _generator = Augmentation.Generator(seed);
        }
    }

    public (Tensor Inputs, Tensor Labels) Next()
    {
        var batch = _sampler.Next();
        var inputs = _images.index_select(0, batch);
        return (_augmentation is null ? inputs : _augmentation.Apply(inputs, _generator!), _labels.index_select(0, batch));
    }

    // The sampler's keys as before, so checkpoints written before augmentation existed still load.
    public IEnumerable<KeyValuePair<string, Tensor>> State()
    {
        foreach (var entry in _sampler.State()) yield return entry;
        if (_generator is not null) yield return new("augmentation", _generator.get_state());
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state)
    {
        _sampler.Restore(state);
        if (_generator is null) return;
        if (!state.TryGetValue("augmentation", out var generator))
            throw new InvalidDataException("The checkpoint has no augmentation state: it was made by a run without augmentation.");
        using var bytes = generator.to(ScalarType.Byte);
        _generator.set_state(bytes);
    }

    public void Dispose()
    {
        _sampler.Dispose();
        _generator?.Dispose();
    }
}
