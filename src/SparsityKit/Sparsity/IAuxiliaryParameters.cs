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
