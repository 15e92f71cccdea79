using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>Finds a model's layers of one kind (variational dropout, L0) with their names, or says how to build them.</summary>
internal static class RegularizedLayers
{
    /// <summary>The layers of type <typeparamref name="TLayer"/> in <paramref name="model"/>, by module name, in registration order.</summary>
    /// <exception cref="ArgumentException">The model has none; the message names <paramref name="method"/> and <paramref name="fix"/>.</exception>
    public static IReadOnlyList<(string Name, TLayer Layer)> Find<TLayer>(nn.Module model, string method, string fix) where TLayer : nn.Module
    {
        var layers = model.named_modules().Append((name: "", module: model))
            .Where(m => m.module is TLayer).Select(m => (m.name, (TLayer)m.module)).ToList();
        if (layers.Count == 0)
            throw new ArgumentException($"{method} needs a model built with its layers, but {model.GetName()} has none: {fix}.", nameof(model));
        return layers;
    }

    /// <summary>The layers' current masks, keyed by parameter state-dict name ("fc1.theta"), as <c>Prunable.Default.Select</c> names them.</summary>
    public static MaskSet MasksOf<TLayer>(IEnumerable<(string Name, TLayer Layer)> layers) where TLayer : IMaskedLayer =>
        new(layers.Select(l => new KeyValuePair<string, Tensor>(
            l.Name.Length == 0 ? l.Layer.PrunableParameterName : $"{l.Name}.{l.Layer.PrunableParameterName}", l.Layer.Mask())));

    /// <summary>The sum of one term per layer (KL, expected L0); differentiable.</summary>
    public static Tensor Sum<TLayer>(IEnumerable<(string Name, TLayer Layer)> layers, Func<TLayer, Tensor> term) =>
        layers.Select(l => term(l.Layer)).Aggregate((a, b) => a.add(b, Scalars.One));
}
