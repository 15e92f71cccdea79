using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>A prunable layer that decides its own mask (variational dropout, L0), read at evaluation time.</summary>
public interface IMaskedLayer : IPrunableLayer
{
    /// <summary>The current 0/1 mask of the prunable parameter.</summary>
    Tensor Mask();
}
