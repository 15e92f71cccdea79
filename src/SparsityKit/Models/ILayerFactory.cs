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

    /// <summary>
    /// A 2-D convolution with or without a bias (ResNets follow each convolution with a normalisation that has its own
    /// shift, so their convolutions have none). The default implementation serves factories written before this overload.
    /// </summary>
    nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool bias) =>
        bias ? Conv2d(inChannels, outChannels, kernelSize, stride, padding)
             : throw new NotSupportedException($"The '{Name}' layer factory cannot build convolutions without a bias: implement ILayerFactory.Conv2d(..., bias).");

    /// <summary>
    /// A token embedding (input int64 token ids [*], output [*, dimension]) whose table is prunable and is also the output
    /// layer: the module implements <see cref="ISharedEmbedding"/>, so a Transformer shares one table between its source and
    /// target embeddings and its softmax, as Vaswani et al. do.
    /// </summary>
    nn.Module<Tensor, Tensor> Embedding(long vocabulary, long dimension) =>
        throw new NotSupportedException($"The '{Name}' layer factory cannot build embeddings: implement ILayerFactory.Embedding.");
}
