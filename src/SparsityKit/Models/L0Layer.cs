using SparsityKit.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// A weight layer with one hard-concrete gate per weight (Louizos et al. 2018, in the unstructured setting Gale et al.
/// study): the effective weight is <c>weight</c> times its gate. In training the gates are sampled (once per batch);
/// in evaluation they are the deterministic test-time gates, and weights whose gate is exactly 0 are pruned.
/// </summary>
public abstract class L0Layer : nn.Module<Tensor, Tensor>, IMaskedLayer, IAuxiliaryParameters
{
    protected L0Layer(string name, long[] weightShape, bool hasBias, L0Layers settings) : base(name)
    {
        Gate = settings.Gate;
        Weight = new Parameter(empty(weightShape));
        Bias = hasBias ? new Parameter(empty(weightShape[0])) : null;
        WeightInitializer.Initialise(settings.Init, Weight, Bias);
        // Louizos et al.'s init: log alpha = log(1 - p) - log p for an initial drop rate p, with a little noise.
        double location = Math.Log(1 - settings.InitialDropRate) - Math.Log(settings.InitialDropRate);
        LogAlpha = new Parameter(settings.InitialLogAlphaNoise > 0 ? normal(location, settings.InitialLogAlphaNoise, weightShape) : full(weightShape, location));
        register_parameter("weight", Weight);
        register_parameter("log_alpha", LogAlpha);
        if (Bias is not null) register_parameter("bias", Bias);
    }

    public Parameter Weight { get; }

    /// <summary>The gates' location parameters, one per weight, named <c>log_alpha</c>.</summary>
    public Parameter LogAlpha { get; }

    public Parameter? Bias { get; }

    public HardConcrete Gate { get; }

    public string PrunableParameterName => "weight";

    public IReadOnlyList<string> AuxiliaryParameterNames => ["log_alpha"];

    /// <summary>Sampled gates in training, deterministic gates in evaluation.</summary>
    public Tensor Gates() => training ? Gate.Sample(LogAlpha) : Gate.Deterministic(LogAlpha);

    /// <summary>The expected number of non-zero gates (the L0 penalty of this layer); differentiable.</summary>
    public Tensor ExpectedL0()
    {
        using var scope = NewDisposeScope();
        return Gate.ProbabilityNonZero(LogAlpha).sum().MoveToOuterDisposeScope();
    }

    /// <summary>1 for weights whose deterministic gate is non-zero, 0 for those evaluation prunes.</summary>
    public Tensor Mask()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Gate.Deterministic(LogAlpha).gt(Scalars.Zero).to(Weight.dtype).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Apply(input, Weight.mul(Gates()), Bias).MoveToOuterDisposeScope();
    }

    /// <summary>The layer's linear map (matrix product or convolution) of <paramref name="input"/> with the given weight.</summary>
    protected abstract Tensor Apply(Tensor input, Tensor weight, Tensor? bias);
}
