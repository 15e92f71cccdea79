using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// A layer whose parameters include some that exist only for training (variational dropout's log sigma^2, L0's
/// gate logits): a deployed model does not store them, so <see cref="SparsityReport"/> leaves them out of its
/// parameter count and compression ratio.
/// </summary>
public interface IAuxiliaryParameters
{
    /// <summary>Names of those parameters within the layer (e.g. "log_sigma2").</summary>
    IReadOnlyList<string> AuxiliaryParameterNames { get; }
}

/// <summary>Finds the training-only parameters (see <see cref="IAuxiliaryParameters"/>) of a whole model.</summary>
public static class AuxiliaryParameters
{
    /// <summary>Their full names in <paramref name="model"/>'s <c>named_parameters()</c> (e.g. "fc1.log_sigma2").</summary>
    public static IReadOnlySet<string> NamesIn(nn.Module model)
    {
        var names = new HashSet<string>();
        foreach (var (name, module) in model.named_modules().Append(("", model)))
            if (module is IAuxiliaryParameters layer)
                foreach (var local in layer.AuxiliaryParameterNames) names.Add(name.Length == 0 ? local : $"{name}.{local}");
        return names;
    }
}
