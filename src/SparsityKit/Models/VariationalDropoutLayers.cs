using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// Builds layers with sparse variational dropout (Molchanov et al. 2017), for training with
/// <c>SparsityKit.Methods.VariationalDropout</c>: <c>Zoo.LeNet300_100(seed, layers: new VariationalDropoutLayers())</c>.
/// </summary>
/// <param name="threshold">Weights with log alpha at or above this are zero in evaluation (Molchanov et al.: 3).</param>
/// <param name="initialLogSigma2">Initial log sigma^2 of every weight (Molchanov et al.: -10).</param>
/// <param name="zeroPrunedInTraining">Zero the thresholded weights in training passes' means too (Molchanov et al.'s LeNet runs do).</param>
/// <param name="init">How theta and the bias are initialised, as for <see cref="DenseLayers"/>.</param>
public sealed class VariationalDropoutLayers(double threshold = 3, double initialLogSigma2 = -10, bool zeroPrunedInTraining = true,
    WeightInit init = WeightInit.GlorotNormal) : ILayerFactory
{
    public double Threshold { get; } = threshold;
    public double InitialLogSigma2 { get; } = initialLogSigma2;
    public bool ZeroPrunedInTraining { get; } = zeroPrunedInTraining;
    public WeightInit Init { get; } = init;

    public string Name => "variational-dropout";

    public nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures) =>
        new VariationalDropoutLinear(inFeatures, outFeatures, this);

    public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0) =>
        new VariationalDropoutConv2d(inChannels, outChannels, kernelSize, stride, padding, this);

    public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool bias) =>
        new VariationalDropoutConv2d(inChannels, outChannels, kernelSize, stride, padding, this, bias);

    public nn.Module<Tensor, Tensor> Embedding(long vocabulary, long dimension) => new VariationalDropoutEmbedding(vocabulary, dimension, this);

    /// <summary>
    /// Starts a variational-dropout model from a trained dense one of the same architecture (Molchanov et al. do so
    /// for LeNet-5): each layer's theta and bias are copied from the dense layer of the same name, and log sigma^2 is
    /// reset to <paramref name="logSigma2"/>.
    /// </summary>
    public static void CopyDenseWeights(nn.Module target, nn.Module dense, double logSigma2 = -10)
    {
        var source = dense.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        int copied = 0;
        foreach (var (name, module) in target.named_modules())
        {
            if (module is not VariationalDropoutLayer layer) continue;
            string prefix = name.Length == 0 ? "" : name + ".";
            layer.Theta.copy_(Find(source, prefix + "weight", layer.Theta.shape));
            if (layer.Bias is not null) layer.Bias.copy_(Find(source, prefix + "bias", layer.Bias.shape));
            layer.LogSigma2.fill_(logSigma2);
            copied++;
        }
        if (copied == 0)
            throw new ArgumentException("The target model has no variational-dropout layers: build it with layers: new VariationalDropoutLayers().");
    }

    private static Tensor Find(Dictionary<string, TorchSharp.Modules.Parameter> source, string name, long[] shape)
    {
        if (!source.TryGetValue(name, out var p))
            throw new ArgumentException($"The dense model has no parameter '{name}' to copy; is it the same architecture?");
        if (!p.shape.SequenceEqual(shape))
            throw new ArgumentException($"The dense '{name}' has shape [{string.Join(", ", p.shape)}] but the target's is [{string.Join(", ", shape)}].");
        return p;
    }
}
