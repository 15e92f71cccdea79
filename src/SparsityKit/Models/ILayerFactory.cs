using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// Builds the weight layers of a model. Models are written once against this interface, so the same
/// LeNet can be built with dense, variational-dropout or L0 layers by passing another factory.
/// </summary>
public interface ILayerFactory
{
    /// <summary>A short name for tables and run records ("dense", "variational-dropout", ...).</summary>
    string Name { get; }

    /// <summary>
    /// A fully connected layer (input [*, in] to output [*, out]). Its weight is named <c>weight</c>, or, for a
    /// custom layer, whatever it names through <see cref="Sparsity.IPrunableLayer"/> (variational dropout's <c>theta</c>).
    /// </summary>
    nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures);

    /// <summary>A 2-D convolution with square kernels; its weight is named as for <see cref="Linear"/>.</summary>
    nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0);
}
