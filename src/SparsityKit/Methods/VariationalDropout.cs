using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// Sparse variational dropout (Molchanov et al. 2017) as a training hook. The model must be built with
/// <see cref="VariationalDropoutLayers"/>. The loss becomes the stochastic gradient variational lower bound per example:
/// mean cross-entropy + <see cref="KlWeight"/> x schedule(epoch) x (sum of the layers' KL terms) / training-set size.
/// At the end the masks are the weights whose log alpha is below each layer's threshold.
/// </summary>
/// <param name="klWeight">Multiplies the KL term (1 = the variational bound; above 1 gives sparser networks). The knob a sparsity search turns.</param>
/// <param name="schedule">How the KL term is annealed in (default: <see cref="KlSchedule.Molchanov"/>).</param>
public sealed class VariationalDropout(double klWeight = 1, KlSchedule? schedule = null) : RegularizedTraining<VariationalDropoutLayer>
{
    private const string Fix = "build it with layers: new VariationalDropoutLayers(), e.g. Zoo.LeNet300_100(seed, layers: new VariationalDropoutLayers())";

    public double KlWeight { get; } = klWeight >= 0 && double.IsFinite(klWeight) ? klWeight
        : throw new ArgumentOutOfRangeException(nameof(klWeight), klWeight, "The KL weight must be a non-negative finite number.");

    public KlSchedule Schedule { get; } = schedule ?? KlSchedule.Molchanov;

    public override string Name => KlWeight == 1 ? "variational dropout" : $"variational dropout (KL x {KlWeight:G3})";

    /// <summary>Its layers; the masks at the end of training are keyed by their <c>theta</c> parameters.</summary>
    protected override IReadOnlyList<(string Name, VariationalDropoutLayer Layer)> LayersIn(nn.Module model) => LayersOf(model);

    public override Tensor? LossTerm(TrainingContext context)
    {
        double epoch = (double)context.Step * context.Config.BatchSize / context.TrainCount;
        double weight = KlWeight * Schedule.Factor(epoch);
        if (weight == 0) return null;
        using Scalar scale = weight / context.TrainCount;   // kept alive: see Scalars
        return RegularizedLayers.Sum(Layers, l => l.Kl()).mul(scale);
    }

    /// <summary>The model's variational-dropout layers by name; a clear error when it has none.</summary>
    public static IReadOnlyList<(string Name, VariationalDropoutLayer Layer)> LayersOf(nn.Module model) =>
        RegularizedLayers.Find<VariationalDropoutLayer>(model, "Variational dropout", Fix);

    /// <summary>The current masks of a variational-dropout model (log alpha below each layer's threshold).</summary>
    public static MaskSet MasksOf(nn.Module model) => RegularizedLayers.MasksOf(LayersOf(model));

    /// <summary>The summed KL term of a variational-dropout model (unscaled); differentiable.</summary>
    public static Tensor KlOf(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return RegularizedLayers.Sum(LayersOf(model), l => l.Kl()).MoveToOuterDisposeScope();
    }

    /// <summary>Sets the evaluation threshold on log alpha of every variational-dropout layer of <paramref name="model"/>.</summary>
    public static void SetThreshold(nn.Module model, double threshold)
    {
        if (double.IsNaN(threshold)) throw new ArgumentException("The threshold must be a number.", nameof(threshold));
        foreach (var (_, layer) in LayersOf(model)) layer.Threshold = threshold;
    }

    /// <summary>
    /// Sets one threshold on log alpha for every layer so that the pruned fraction of the layers' weights is as close to
    /// <paramref name="targetSparsity"/> as ties allow (log alpha is clipped at 8, so many weights may share the top
    /// value), without retraining: Gale et al. sweep this threshold as well as the KL weight. Returns the threshold.
    /// </summary>
    public static double SetThresholdForSparsity(nn.Module model, double targetSparsity)
    {
        if (!(targetSparsity >= 0 && targetSparsity <= 1)) throw new ArgumentOutOfRangeException(nameof(targetSparsity), targetSparsity, "Sparsity lies in [0, 1].");
        var layers = LayersOf(model);
        float[] logAlphas;
        using (no_grad())
        using (NewDisposeScope())
            logAlphas = cat(layers.Select(l => l.Layer.LogAlpha().flatten().cpu()).ToList(), 0).data<float>().ToArray();
        Array.Sort(logAlphas);
        Array.Reverse(logAlphas);
        long prune = (long)Math.Round(targetSparsity * logAlphas.Length);
        // Weights with log alpha >= threshold are pruned: the threshold is the smallest log alpha among the `prune` largest,
        // or just above the largest when nothing is to be pruned.
        double threshold = prune == 0 ? MathF.BitIncrement(logAlphas[0]) : logAlphas[prune - 1];
        SetThreshold(model, threshold);
        return threshold;
    }

    /// <summary>
    /// Moves the threshold of a trained model to <paramref name="targetSparsity"/> (<see cref="SetThresholdForSparsity"/>)
    /// and returns the masks at that threshold: a sweep's <see cref="Experiments.SweepMethod.AtSparsity"/>.
    /// </summary>
    public static MaskSet AtSparsity(nn.Module model, double targetSparsity)
    {
        SetThresholdForSparsity(model, targetSparsity);
        return MasksOf(model);
    }
}
