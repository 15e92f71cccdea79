using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// Molchanov et al.'s (2017) approximation of the KL divergence from a weight's posterior N(theta, alpha theta^2) to
/// the log-uniform prior, as a function of log alpha alone:
/// -KL ~ k1 sigmoid(k2 + k3 log alpha) - 0.5 log(1 + 1/alpha) - k1. It is non-negative, falls as alpha grows,
/// and tends to 0 as alpha goes to infinity, so minimising it drives weights to high noise (and then to zero).
/// </summary>
public static class MolchanovKl
{
    public const double K1 = 0.63576;
    public const double K2 = 1.87320;
    public const double K3 = 1.48695;

    /// <summary>The KL of each weight (same shape as <paramref name="logAlpha"/>).</summary>
    /// <remarks>log(1 + 1/alpha) is computed as softplus(-log alpha), which neither overflows nor takes log(0).</remarks>
    public static Tensor Of(Tensor logAlpha)
    {
        using var scope = NewDisposeScope();
        // k1 - k1 sigmoid(z) = k1 sigmoid(-z). Out-of-place throughout: autograd keeps these intermediates for backward.
        using Scalar k1 = K1, k2 = K2, minusK3 = -K3, half = 0.5;   // kept alive: see Scalars
        var kl = logAlpha.mul(minusK3).sub(k2).sigmoid().mul(k1)
            .add(Scalars.Softplus(logAlpha.neg()).mul(half), Scalars.One);
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>The same approximation for one value, in double precision.</summary>
    public static double Of(double logAlpha)
    {
        double sigmoid = 1 / (1 + Math.Exp(-(K2 + K3 * logAlpha)));
        // softplus(-x) = max(-x, 0) + log1p(exp(-|x|)), stable for any x.
        double softplus = Math.Max(-logAlpha, 0) + Math.Log(1 + Math.Exp(-Math.Abs(logAlpha)));
        return K1 - K1 * sigmoid + 0.5 * softplus;
    }
}
