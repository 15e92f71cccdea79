using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// L0 regularization that ends exactly at a target sparsity: trains as <see cref="L0Regularization"/>, then, if its gates
/// closed fewer weights than the target, closes the gates with the smallest log alpha (the least likely to be open) until
/// the target is reached. A short training cannot reach a high sparsity by the penalty alone; this makes the comparison
/// at a given sparsity possible, at the cost of a final magnitude-of-gate pruning step (weights beyond the target that
/// the penalty closed stay closed).
/// </summary>
public sealed class L0ToTarget(double lambda, double targetSparsity) : TrainingMethod
{
    private readonly L0Regularization _l0 = new(lambda);
    private MaskSet? _masks;

    public double TargetSparsity { get; } = SparsityDistribution.CheckFraction(targetSparsity, nameof(targetSparsity));
    public double Lambda => _l0.Lambda;

    /// <summary>The sparsity the penalty alone had reached at the end of training, before closing gates to the target.</summary>
    public double? SparsityBeforeTrim { get; private set; }

    public override string Name => $"{_l0.Name} to {TargetSparsity:P0}";
    public override MaskSet? Masks => _masks;

    public override void OnStart(TrainingContext context) => _l0.OnStart(context);
    public override Tensor? LossTerm(TrainingContext context) => _l0.LossTerm(context);
    public override void BeforeStep(TrainingContext context) => _l0.BeforeStep(context);
    public override void AfterStep(TrainingContext context) => _l0.AfterStep(context);

    public override void OnEnd(TrainingContext context)
    {
        _l0.OnEnd(context);
        var layers = L0Regularization.LayersOf(context.Model);
        SparsityBeforeTrim = _l0.Masks!.Sparsity;
        using (no_grad())
        using (NewDisposeScope())
        {
            var logAlphas = cat(layers.Select(l => l.Layer.LogAlpha.detach().flatten()).ToList());
            long close = (long)Math.Round(TargetSparsity * logAlphas.numel()) - (_l0.Masks.Total - _l0.Masks.Kept);
            if (close > 0)
            {
                // Gates already closed have the lowest log alphas, so the `closed + close` lowest include them.
                long already = _l0.Masks.Total - _l0.Masks.Kept;
                var (sorted, _) = sort(logAlphas, stable: true);
                float threshold = sorted[already + close - 1].item<float>();
                foreach (var (_, layer) in layers)
                    layer.LogAlpha.masked_fill_(layer.LogAlpha.le(threshold), -1e4f);
            }
        }
        _masks?.Dispose();
        _masks = L0Regularization.MasksOf(context.Model);
    }
}
