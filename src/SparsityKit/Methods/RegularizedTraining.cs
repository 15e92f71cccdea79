using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>
/// A method that learns its masks through layers of its own (variational dropout, L0): it finds those layers at the
/// start of training, adds a penalty over them to the loss, and reads the masks from them at the end.
/// </summary>
public abstract class RegularizedTraining<TLayer> : TrainingMethod where TLayer : IMaskedLayer
{
    private MaskSet? _masks;

    /// <summary>The model's regularized layers by name, found at the start of training.</summary>
    protected IReadOnlyList<(string Name, TLayer Layer)> Layers { get; private set; } = [];

    /// <summary>The masks at the end of training (null before).</summary>
    public override MaskSet? Masks => _masks;

    /// <summary>The regularized layers of <paramref name="model"/>; a clear error when it has none.</summary>
    protected abstract IReadOnlyList<(string Name, TLayer Layer)> LayersIn(TorchSharp.torch.nn.Module model);

    public override void OnStart(TrainingContext context)
    {
        Layers = LayersIn(context.Model);
        _masks?.Dispose();
        _masks = null;
    }

    public override void OnEnd(TrainingContext context)
    {
        _masks?.Dispose();
        _masks = RegularizedLayers.MasksOf(LayersIn(context.Model));
    }
}
