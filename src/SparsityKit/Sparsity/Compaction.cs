using SparsityKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// Builds the smaller dense network a structured mask describes: every unit whose row is fully masked is removed with
/// the next layer's inputs it fed, and the rest is copied (masked). The compact network gives the masked network's
/// outputs: a removed unit still outputs act(bias), but structured masks also cut the next layer's inputs from it.
/// Supports chains of linear and convolution layers (<see cref="ChainNetwork.StagesOf"/>); BatchNorm is not handled.
/// </summary>
public static class Compaction
{
    /// <summary>The compact network of <paramref name="model"/> under <paramref name="masks"/>, on the model's device.</summary>
    public static ChainNetwork Compact(nn.Module<Tensor, Tensor> model, MaskSet masks, IReadOnlyList<ChainStage>? stages = null)
    {
        stages ??= ChainNetwork.StagesOf(model);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        using var noGrad = no_grad();
        var layers = new List<nn.Module<Tensor, Tensor>>();
        Tensor? previousKept = null;   // indices of the previous layer's kept units
        long previousUnits = 0;
        for (int i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            if (!modules.TryGetValue(stage.Layer, out var module))
                throw new ArgumentException($"The model has no layer '{stage.Layer}' (stage {i} of the chain).");
            var (weight, bias) = module switch
            {
                TorchSharp.Modules.Linear l => (l.weight!, l.bias),
                TorchSharp.Modules.Conv2d c => (c.weight!, c.bias),
                _ => throw new ArgumentException($"Layer '{stage.Layer}' is a {module.GetType().Name}; compaction handles Linear and Conv2d."),
            };
            string name = $"{stage.Layer}.weight";
            bool last = i == stages.Count - 1;
            Tensor w, b, kept;
            using (var scope = NewDisposeScope())
            {
                var masked = masks.Names.Contains(name) ? weight.detach().mul(masks[name].to(weight.device)) : weight.detach();
                kept = last ? arange(masked.shape[0], device: masked.device) : masked.flatten(1).ne(Scalars.Zero).any(1).nonzero().flatten();
                if (kept.numel() == 0) throw new ArgumentException($"Every unit of '{stage.Layer}' is pruned: the network's output no longer depends on its input.");
                if (previousKept is not null)
                {
                    long block = masked.shape[1] / previousUnits;
                    var columns = previousKept.mul(block).unsqueeze(1).add(arange(block, device: masked.device)).flatten();
                    masked = masked.index_select(1, columns);
                }
                w = masked.index_select(0, kept).MoveToOuterDisposeScope();
                b = (bias?.detach().index_select(0, kept) ?? empty(0)).MoveToOuterDisposeScope();
                kept = kept.MoveToOuterDisposeScope();
            }
            // Built outside any dispose scope: the layers' parameters must outlive this method.
            nn.Module<Tensor, Tensor> layer = w.dim() == 2
                ? nn.Linear(w.shape[1], w.shape[0], hasBias: bias is not null, device: w.device)
                : nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], stride: stage.Stride, padding: stage.Padding, bias: bias is not null, device: w.device);
            var (newWeight, newBias) = layer is TorchSharp.Modules.Linear nl ? (nl.weight!, nl.bias) : (((TorchSharp.Modules.Conv2d)layer).weight!, ((TorchSharp.Modules.Conv2d)layer).bias);
            newWeight.copy_(w);
            if (bias is not null) newBias!.copy_(b);
            w.Dispose();
            b.Dispose();
            layers.Add(layer);
            previousKept?.Dispose();
            previousKept = kept;
            previousUnits = weight.shape[0];
        }
        previousKept?.Dispose();
        return new ChainNetwork(stages, layers);
    }

    /// <summary>Trainable parameters (weights and biases) of a network.</summary>
    public static long ParameterCount(nn.Module model) => model.parameters().Sum(p => p.numel());
}
