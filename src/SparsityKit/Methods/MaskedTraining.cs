using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// Training under a mask: gradients of pruned weights are zeroed before each optimizer update (so momentum and
/// Adam moments of pruned weights stay zero), the mask is re-applied to the weights after each update, and when the
/// mask changes the optimizer state of newly pruned weights is zeroed. A pruned weight cannot come back by itself.
/// The optimizer does the per-step masking (<see cref="Optimizer.SetMask"/>), beside each parameter's own update.
/// </summary>
public abstract class MaskedTraining : TrainingMethod
{
    private MaskSet? _masks;

    protected MaskedTraining(Prunable? prunable) => Prunable = prunable ?? Prunable.Default;

    public Prunable Prunable { get; }

    public override MaskSet? Masks => _masks;

    /// <summary>Replaces the masks, applies them to the weights and zeroes the optimizer state of pruned weights.</summary>
    protected void SetMasks(TrainingContext context, MaskSet masks)
    {
        var prunable = Prunable.Select(context.Model).Select(p => p.Name).ToHashSet();
        if (masks.Entries.Select(m => m.Key).FirstOrDefault(name => !prunable.Contains(name)) is { } unknown)
            throw new ArgumentException($"The masks name '{unknown}', which is not a prunable parameter of the model.");
        var onDevice = masks.To(context.Source.Device);
        masks.Dispose();
        context.Optimizer.ClearMasks();
        _masks?.Dispose();
        _masks = onDevice;
        onDevice.ApplyTo(context.Model);
        foreach (var (name, mask) in onDevice.Entries) context.Optimizer.SetMask(name, mask);
    }

    public override void SaveState(IDictionary<string, Tensor> state)
    {
        if (_masks is null) return;
        foreach (var (name, mask) in _masks.Entries) state[$"masks/{name}"] = mask;
    }

    public override void LoadState(TrainingContext context, IReadOnlyDictionary<string, Tensor> state)
    {
        var masks = state.Where(kv => kv.Key.StartsWith("masks/", StringComparison.Ordinal))
            .Select(kv => new KeyValuePair<string, Tensor>(kv.Key["masks/".Length..], kv.Value.clone())).ToList();
        if (masks.Count > 0) SetMasks(context, new MaskSet(masks));
    }
}
