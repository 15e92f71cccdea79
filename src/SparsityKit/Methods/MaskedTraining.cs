using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// Training under a mask: gradients of pruned weights are zeroed before each optimizer step (so momentum and
/// Adam moments of pruned weights stay zero), the mask is re-applied to the weights after each step, and when the
/// mask changes the optimizer state of newly pruned weights is zeroed. A pruned weight cannot come back by itself.
/// </summary>
public abstract class MaskedTraining : TrainingMethod
{
    private (Parameter Weight, Tensor Mask)[] _masked = [];
    private MaskSet? _masks;

    protected MaskedTraining(Prunable? prunable) => Prunable = prunable ?? Prunable.Default;

    public Prunable Prunable { get; }

    public override MaskSet? Masks => _masks;

    public override void BeforeStep(TrainingContext context)
    {
        foreach (var (weight, mask) in _masked) weight.grad?.mul_(mask);
    }

    public override void AfterStep(TrainingContext context)
    {
        using (no_grad())
            foreach (var (weight, mask) in _masked) weight.mul_(mask);
    }

    /// <summary>Replaces the masks, applies them to the weights and zeroes the optimizer state of pruned weights.</summary>
    protected void SetMasks(TrainingContext context, MaskSet masks)
    {
        var device = context.Data.Device;
        var onDevice = masks.To(device);
        masks.Dispose();
        _masks?.Dispose();
        _masks = onDevice;
        var parameters = Prunable.Select(context.Model).ToDictionary(p => p.Name, p => p.Parameter);
        _masked = onDevice.Entries.Select(m => (parameters.TryGetValue(m.Key, out var p) ? p
            : throw new ArgumentException($"The masks name '{m.Key}', which is not a prunable parameter of the model."), m.Value)).ToArray();
        onDevice.ApplyTo(context.Model);
        foreach (var (name, mask) in onDevice.Entries) context.Optimizer.MaskState(name, mask);
    }
}
