using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// L0 regularization with hard-concrete gates (Louizos et al. 2018) as a training hook. The model must be built with
/// <see cref="L0Layers"/>. The loss becomes mean cross-entropy + <see cref="Lambda"/> x (expected number of non-zero
/// gates) / training-set size, so lambda is the price of one weight in nats over the whole training set (Louizos et al.'s
/// lambda of 0.1/N per example is <c>lambda: 0.1</c> here). At the end the masks are the weights whose test-time gate is
/// not exactly zero.
/// </summary>
/// <param name="lambda">Weight of the expected-L0 penalty (the knob a sparsity search turns).</param>
public sealed class L0Regularization(double lambda = 0.1) : RegularizedTraining<L0Layer>
{
    private const string Fix = "build it with layers: new L0Layers(), e.g. Zoo.LeNet300_100(seed, layers: new L0Layers())";

    public double Lambda { get; } = lambda >= 0 && double.IsFinite(lambda) ? lambda
        : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Lambda must be a non-negative finite number.");

    public override string Name => $"L0 (lambda {Lambda:G3})";

    /// <summary>Its layers; the masks at the end of training are keyed by their <c>weight</c> parameters.</summary>
    protected override IReadOnlyList<(string Name, L0Layer Layer)> LayersIn(nn.Module model) => LayersOf(model);

    public override Tensor? LossTerm(TrainingContext context)
    {
        if (Lambda == 0) return null;
        using Scalar scale = Lambda / context.TrainCount;   // kept alive: see Scalars
        return RegularizedLayers.Sum(Layers, l => l.ExpectedL0()).mul(scale);
    }

    /// <summary>The model's L0 layers by name; a clear error when it has none.</summary>
    public static IReadOnlyList<(string Name, L0Layer Layer)> LayersOf(nn.Module model) =>
        RegularizedLayers.Find<L0Layer>(model, "L0 regularization", Fix);

    /// <summary>The current masks of an L0 model (test-time gates that are not exactly zero).</summary>
    public static MaskSet MasksOf(nn.Module model) => RegularizedLayers.MasksOf(LayersOf(model));

    /// <summary>The expected number of non-zero gates of an L0 model; differentiable.</summary>
    public static Tensor ExpectedL0Of(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return RegularizedLayers.Sum(LayersOf(model), l => l.ExpectedL0()).MoveToOuterDisposeScope();
    }
}
