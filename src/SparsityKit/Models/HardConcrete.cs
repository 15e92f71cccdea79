using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// The hard concrete distribution of Louizos et al. (2018): a binary concrete variable with temperature
/// <see cref="Beta"/>, stretched to (<see cref="Gamma"/>, <see cref="Zeta"/>) and clamped to [0, 1], so a gate is
/// exactly 0 or exactly 1 with non-zero probability and the expected number of non-zero gates is differentiable
/// in the gate's location parameter log alpha.
/// </summary>
public sealed record HardConcrete(double Beta = 2.0 / 3, double Gamma = -0.1, double Zeta = 1.1)
{
    // Uniform noise is kept away from 0 and 1 so that log u and log(1 - u) are finite.
    private const double UniformMargin = 1e-6;

    /// <summary>Louizos et al.'s settings: beta 2/3, gamma -0.1, zeta 1.1.</summary>
    public static HardConcrete Louizos { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless beta &gt; 0 and gamma &lt; 0 &lt; 1 &lt; zeta.</summary>
    public void Validate()
    {
        if (!(Beta > 0) || double.IsInfinity(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "The temperature beta must be positive.");
        if (!(Gamma < 0)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "gamma must be below 0 (the stretch that lets gates be exactly 0).");
        if (!(Zeta > 1) || double.IsInfinity(Zeta)) throw new ArgumentOutOfRangeException(nameof(Zeta), Zeta, "zeta must be above 1 (the stretch that lets gates be exactly 1).");
    }

    /// <summary>
    /// A sample of gates for the given log alpha: z = min(1, max(0, sigmoid((log u - log(1 - u) + log alpha) / beta)
    /// (zeta - gamma) + gamma)) with u uniform; differentiable in log alpha.
    /// </summary>
    public Tensor Sample(Tensor logAlpha)
    {
        using var scope = NewDisposeScope();
        using Scalar low = UniformMargin, high = 1 - UniformMargin, beta = Beta;   // kept alive: see Scalars
        var u = rand_like(logAlpha).clamp_(low, high);
        var logistic = u.log().sub_(u.neg().add_(Scalars.One, Scalars.One).log_());
        var s = logistic.add(logAlpha, Scalars.One).div(beta).sigmoid();
        return Stretch(s).MoveToOuterDisposeScope();
    }

    /// <summary>The test-time gates: z = min(1, max(0, sigmoid(log alpha) (zeta - gamma) + gamma)).</summary>
    public Tensor Deterministic(Tensor logAlpha)
    {
        using var scope = NewDisposeScope();
        return Stretch(logAlpha.sigmoid()).MoveToOuterDisposeScope();
    }

    /// <summary>P(z != 0) = sigmoid(log alpha - beta log(-gamma / zeta)) per gate; its sum is the expected L0 norm.</summary>
    public Tensor ProbabilityNonZero(Tensor logAlpha)
    {
        using var scope = NewDisposeScope();
        using Scalar shift = Beta * Math.Log(-Gamma / Zeta);
        return logAlpha.sub(shift).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>P(z = 0) for one gate, in double precision: 1 - sigmoid(log alpha - beta log(-gamma / zeta)).</summary>
    public double ProbabilityZero(double logAlpha) => Sigmoid(Beta * Math.Log(-Gamma / Zeta) - logAlpha);

    /// <summary>P(z = 1) for one gate: the stretched variable reaches 1 when s &gt;= (1 - gamma) / (zeta - gamma).</summary>
    public double ProbabilityOne(double logAlpha)
    {
        double t = (1 - Gamma) / (Zeta - Gamma);
        return Sigmoid(logAlpha - Beta * Math.Log(t / (1 - t)));
    }

    // Out-of-place: autograd keeps these intermediates for the backward pass.
    private Tensor Stretch(Tensor s)
    {
        using Scalar width = Zeta - Gamma, gamma = Gamma;
        return s.mul(width).add(gamma, Scalars.One).clamp(Scalars.Zero, Scalars.One);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
