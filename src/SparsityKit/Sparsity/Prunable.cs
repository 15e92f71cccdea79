using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// Which parameters may be pruned. By default the <c>weight</c> of every linear, convolution and embedding layer;
/// biases and normalisation parameters are never pruned unless a custom rule says so.
/// </summary>
public sealed class Prunable
{
    private readonly Func<string, nn.Module, string, bool> _rule;
    private readonly HashSet<string> _excluded;

    private Prunable(Func<string, nn.Module, string, bool> rule, IEnumerable<string> excluded)
    {
        _rule = rule;
        _excluded = excluded.ToHashSet();
    }

    /// <summary>Weights of Linear and Conv1d/2d/3d layers, and of any layer that marks itself with <see cref="IPrunableLayer"/>.</summary>
    public static Prunable Default { get; } = new(IsLayerWeight, []);

    /// <summary>A custom rule on (module name, module, parameter name within the module).</summary>
    public static Prunable Where(Func<string, nn.Module, string, bool> rule) => new(rule, []);

    /// <summary>This selection without the named parameters (e.g. "fc3.weight" to keep the output layer dense).</summary>
    public Prunable Except(params string[] parameterNames) => new(_rule, _excluded.Concat(parameterNames));

    /// <summary>The prunable parameters of <paramref name="model"/>, in the model's registration order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Select(nn.Module model)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        modules[""] = model;
        var selected = new List<(string, Parameter)>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            int dot = name.LastIndexOf('.');
            string owner = dot < 0 ? "" : name[..dot], local = name[(dot + 1)..];
            if (_excluded.Contains(name) || !modules.TryGetValue(owner, out var module)) continue;
            if (_rule(owner, module, local)) selected.Add((name, parameter));
        }
        foreach (var name in _excluded)
            if (model.named_parameters().All(p => p.name != name))
                throw new ArgumentException($"Cannot exclude '{name}': the model has no such parameter.");
        if (selected.Count == 0)
            throw new ArgumentException("The model has no prunable parameters (weights of linear or convolution layers). Pass a Prunable.Where rule.");
        return selected;
    }

    private static bool IsLayerWeight(string owner, nn.Module module, string local) => module switch
    {
        IPrunableLayer layer => layer.PrunableParameterName == local,
        Linear or Conv1d or Conv2d or Conv3d or Embedding => local == "weight",
        _ => false,
    };
}

/// <summary>A custom layer (variational dropout, L0) names the parameter that pruning masks.</summary>
public interface IPrunableLayer
{
    string PrunableParameterName { get; }
}
