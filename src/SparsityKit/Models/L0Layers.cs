using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// Builds layers with a hard-concrete gate per weight (Louizos et al. 2018), for training with
/// <c>SparsityKit.Methods.L0Regularization</c>: <c>Zoo.LeNet300_100(seed, layers: new L0Layers())</c>.
/// </summary>
public sealed class L0Layers : ILayerFactory
{
    /// <param name="initialDropRate">Initial probability that a gate drops its weight (Louizos et al.: 0.5); log alpha starts at log(1 - p) - log p.</param>
    /// <param name="gate">The hard concrete's temperature and stretch (default: Louizos et al.'s beta 2/3, gamma -0.1, zeta 1.1).</param>
    /// <param name="initialLogAlphaNoise">Standard deviation of the noise added to the initial log alpha (Louizos et al.: 0.01).</param>
    /// <param name="init">How the weights and biases are initialised, as for <see cref="DenseLayers"/>.</param>
    public L0Layers(double initialDropRate = 0.5, HardConcrete? gate = null, double initialLogAlphaNoise = 0.01, WeightInit init = WeightInit.GlorotNormal)
    {
        if (!(initialDropRate > 0 && initialDropRate < 1))
            throw new ArgumentOutOfRangeException(nameof(initialDropRate), initialDropRate, "The initial drop rate must lie strictly between 0 and 1.");
        if (!(initialLogAlphaNoise >= 0)) throw new ArgumentOutOfRangeException(nameof(initialLogAlphaNoise), initialLogAlphaNoise, "The noise must not be negative.");
        Gate = gate ?? HardConcrete.Louizos;
        Gate.Validate();
        InitialDropRate = initialDropRate;
        InitialLogAlphaNoise = initialLogAlphaNoise;
        Init = init;
    }

    public double InitialDropRate { get; }
    public HardConcrete Gate { get; }
    public double InitialLogAlphaNoise { get; }
    public WeightInit Init { get; }

    public string Name => "l0";

    public nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures) => new L0Linear(inFeatures, outFeatures, this);

    public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0) =>
        new L0Conv2d(inChannels, outChannels, kernelSize, stride, padding, this);

    public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool bias) =>
        new L0Conv2d(inChannels, outChannels, kernelSize, stride, padding, this, bias);

    public nn.Module<Tensor, Tensor> Embedding(long vocabulary, long dimension) => new L0Embedding(vocabulary, dimension, this);
}
