using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>Ordinary dense (unmasked) linear and convolution layers.</summary>
public sealed class DenseLayers(WeightInit init = WeightInit.GlorotNormal) : ILayerFactory
{
    /// <summary>Dense layers with Gaussian Glorot init (Frankle and Carbin's LeNet setting).</summary>
    public static DenseLayers Default { get; } = new();

    public WeightInit Init { get; } = init;

    public string Name => "dense";

    public nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures)
    {
        var layer = nn.Linear(inFeatures, outFeatures);
        Initialise(layer.weight!, layer.bias);
        return layer;
    }

    public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0) =>
        Conv2d(inChannels, outChannels, kernelSize, stride, padding, bias: true);

    public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool bias)
    {
        var layer = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: bias);
        Initialise(layer.weight!, layer.bias);
        return layer;
    }

    public nn.Module<Tensor, Tensor> Embedding(long vocabulary, long dimension) => new DenseEmbedding(vocabulary, dimension);

    private void Initialise(Tensor weight, Tensor? bias)
    {
        if (Init == WeightInit.TorchDefault) return;
        using var _ = no_grad();
        if (Init == WeightInit.GlorotNormal) nn.init.xavier_normal_(weight);
        else nn.init.kaiming_normal_(weight, nonlinearity: nn.init.NonlinearityType.ReLU);
        bias?.zero_();
    }
}
