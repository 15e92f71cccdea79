using SparsityKit.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// A weight layer with sparse variational dropout (Molchanov et al. 2017): each weight has a Gaussian posterior
/// N(theta, sigma^2), parameterised by <c>theta</c> and <c>log_sigma2</c>, with dropout rate alpha = sigma^2 / theta^2.
/// In training the layer samples its pre-activations with the local reparameterisation trick; in evaluation it is
/// deterministic, with the weights whose log alpha is at or above <see cref="Threshold"/> set to zero.
/// </summary>
public abstract class VariationalDropoutLayer : nn.Module<Tensor, Tensor>, IMaskedLayer, IAuxiliaryParameters
{
    /// <summary>log alpha is clipped to +-this, as in Molchanov et al.'s code.</summary>
    public const double LogAlphaLimit = 8;

    // Keeps log(theta^2) finite when theta is exactly zero (a zero weight then has log alpha = log sigma^2 + 18.4).
    private const double ThetaSquaredFloor = 1e-8;
    // Keeps sqrt differentiable where the variance is zero (all inputs zero).
    private const double VarianceFloor = 1e-8;

    protected VariationalDropoutLayer(string name, long[] weightShape, bool hasBias, VariationalDropoutLayers settings) : base(name)
    {
        Theta = new Parameter(empty(weightShape));
        LogSigma2 = new Parameter(full(weightShape, settings.InitialLogSigma2));
        Bias = hasBias ? new Parameter(empty(weightShape[0])) : null;
        WeightInitializer.Initialise(settings.Init, Theta, Bias);
        Threshold = settings.Threshold;
        ZeroPrunedInTraining = settings.ZeroPrunedInTraining;
        register_parameter("theta", Theta);
        register_parameter("log_sigma2", LogSigma2);
        if (Bias is not null) register_parameter("bias", Bias);
    }

    /// <summary>The posterior means of the weights (the weights the evaluated model uses), named <c>theta</c>.</summary>
    public Parameter Theta { get; }

    /// <summary>The log variances of the weights' posteriors, named <c>log_sigma2</c>.</summary>
    public Parameter LogSigma2 { get; }

    public Parameter? Bias { get; }

    /// <summary>Weights with log alpha at or above this are zero in evaluation (Molchanov et al.: 3, i.e. alpha ~ 20).</summary>
    public double Threshold { get; set; }

    /// <summary>Also zero those weights in the mean of training passes (Molchanov et al.'s <c>train_clip</c>).</summary>
    public bool ZeroPrunedInTraining { get; set; }

    public string PrunableParameterName => "theta";

    public IReadOnlyList<string> AuxiliaryParameterNames => ["log_sigma2"];

    /// <summary>log alpha = log sigma^2 - log theta^2 per weight, clipped to [-8, 8]; differentiable.</summary>
    public Tensor LogAlpha()
    {
        using var scope = NewDisposeScope();
        using Scalar floor = ThetaSquaredFloor, low = -LogAlphaLimit, high = LogAlphaLimit;   // kept alive: see Scalars
        var logThetaSquared = Scalars.Square(Theta).add(floor, Scalars.One).log();
        return LogSigma2.sub(logThetaSquared).clamp(low, high).MoveToOuterDisposeScope();
    }

    /// <summary>The layer's KL term (Molchanov et al.'s approximation summed over its weights); differentiable.</summary>
    public Tensor Kl()
    {
        using var scope = NewDisposeScope();
        return MolchanovKl.Of(LogAlpha()).sum().MoveToOuterDisposeScope();
    }

    /// <summary>1 for the weights evaluation keeps (log alpha below <see cref="Threshold"/>), 0 for those it zeroes.</summary>
    public Tensor Mask()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using Scalar threshold = Threshold;
        return LogAlpha().lt(threshold).to(Theta.dtype).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var logAlpha = LogAlpha();
        using Scalar threshold = Threshold, varianceFloor = VarianceFloor;   // kept alive: see Scalars
        if (!training)
            return Apply(input, Theta.mul(logAlpha.lt(threshold)), Bias).MoveToOuterDisposeScope();
        var meanWeight = ZeroPrunedInTraining ? Theta.mul(logAlpha.lt(threshold)) : Theta;
        var mean = Apply(input, meanWeight, Bias);
        // sigma^2 = alpha theta^2 with the clipped alpha (Molchanov et al.'s code): equal to exp(log_sigma2) while
        // log alpha is inside the clip range, and bounded by e^8 theta^2 outside it, so exp cannot overflow.
        var variance = Apply(Scalars.Square(input), logAlpha.exp().mul(Scalars.Square(Theta)), null);
        var noise = LayoutNoise.NormalLike(mean);
        return mean.add(variance.add(varianceFloor, Scalars.One).sqrt().mul(noise), Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>The layer's linear map (matrix product or convolution) of <paramref name="input"/> with the given weight.</summary>
    protected abstract Tensor Apply(Tensor input, Tensor weight, Tensor? bias);
}
