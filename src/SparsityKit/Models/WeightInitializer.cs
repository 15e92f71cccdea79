using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// Initialises the weight and bias of a custom layer (variational dropout, L0) exactly as <see cref="DenseLayers"/>
/// initialises TorchSharp's own layers, so a model built with another factory starts from the same distribution.
/// </summary>
internal static class WeightInitializer
{
    /// <summary>Fills <paramref name="weight"/> (shape [out, in, ...]) and <paramref name="bias"/> in place.</summary>
    public static void Initialise(WeightInit init, Tensor weight, Tensor? bias)
    {
        using var _ = no_grad();
        switch (init)
        {
            case WeightInit.GlorotNormal:
                nn.init.xavier_normal_(weight);
                bias?.zero_();
                break;
            case WeightInit.KaimingNormal:
                nn.init.kaiming_normal_(weight, nonlinearity: nn.init.NonlinearityType.ReLU);
                bias?.zero_();
                break;
            default:
                // TorchSharp's (and PyTorch's) reset_parameters for Linear and Conv: Kaiming uniform with a = sqrt(5),
                // bias uniform in +-1/sqrt(fan_in).
                nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
                if (bias is not null)
                {
                    long fanIn = weight.numel() / weight.shape[0];
                    double bound = 1 / Math.Sqrt(fanIn);
                    nn.init.uniform_(bias, -bound, bound);
                }
                break;
        }
    }
}
