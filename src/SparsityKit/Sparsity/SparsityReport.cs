using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// Per-layer and total accounting of a (pruned) model: weights kept, sparsity, compression ratio (all parameters /
/// non-zero parameters, biases included, as ShrinkBench counts) and theoretical FLOPs dense versus sparse.
/// </summary>
public sealed class SparsityReport
{
    private SparsityReport(IReadOnlyList<LayerCost> layers, long parameters, long nonZeroParameters)
    {
        Layers = layers;
        Parameters = parameters;
        NonZeroParameters = nonZeroParameters;
    }

    public IReadOnlyList<LayerCost> Layers { get; }

    /// <summary>All parameters of the model, biases included, less training-only ones (see <see cref="IAuxiliaryParameters"/>).</summary>
    public long Parameters { get; }

    /// <summary>Parameters that are not pruned (masked weights count as zero; unmasked parameters count in full).</summary>
    public long NonZeroParameters { get; }

    /// <summary>Fraction of the weight layers' weights that are pruned.</summary>
    public double Sparsity => 1 - (double)Layers.Sum(l => l.Kept) / Layers.Sum(l => l.Total);

    public double CompressionRatio => (double)Parameters / NonZeroParameters;
    public long DenseFlops => Layers.Sum(l => l.DenseFlops);
    public long SparseFlops => Layers.Sum(l => l.SparseFlops);
    public double TheoreticalSpeedup => (double)DenseFlops / SparseFlops;

    /// <summary>
    /// Measures <paramref name="model"/> under <paramref name="masks"/> (none: dense, or zeros already in the weights
    /// when <paramref name="countZeros"/>). <paramref name="inputShape"/> is one example's shape, e.g. [1, 28, 28];
    /// a forward pass on a zero input finds each convolution's number of output positions.
    /// </summary>
    public static SparsityReport Of(nn.Module<Tensor, Tensor> model, long[] inputShape, MaskSet? masks = null, bool countZeros = false)
    {
        var weights = Prunable.Default.Select(model);
        if (masks is not null)
        {
            var names = model.named_parameters().Select(p => p.name).ToHashSet();
            if (masks.Names.FirstOrDefault(n => !names.Contains(n)) is { } unknown)
                throw new ArgumentException($"The masks name '{unknown}', which is not a parameter of the model: use masks computed for this model.", nameof(masks));
            masks.CheckShapes(weights.Select(w => (w.Name, (Tensor)w.Parameter)), "the weight");
        }
        var positions = OutputPositions(model, inputShape, weights.Select(w => (w.Name, Convolution: w.Parameter.dim() == 4)).ToList());
        using var scope = NewDisposeScope();
        var layers = weights.Select(w =>
        {
            long total = w.Parameter.numel();
            long kept = masks is not null && masks.Names.Contains(w.Name) ? (long)masks[w.Name].sum().item<float>()
                : countZeros ? w.Parameter.count_nonzero().item<long>() : total;
            long uses = positions[w.Name];
            return new LayerCost(w.Name, total, kept, total * uses, kept * uses);
        }).ToList();
        long parameters = DeployedParameters(model);
        long pruned = layers.Sum(l => l.Total - l.Kept);
        return new SparsityReport(layers, parameters, parameters - pruned);
    }

    // Parameters a deployed model stores: training-only ones (variational dropout's variances, L0's gate logits) are left out.
    private static long DeployedParameters(nn.Module model)
    {
        var auxiliary = AuxiliaryParameters.NamesIn(model);
        return model.named_parameters().Where(p => !auxiliary.Contains(p.name)).Sum(p => p.parameter.numel());
    }

    // How many times each weight is used per example: H_out * W_out for a 2-D convolution (features in dimension 1), and for
    // any other layer the output's size per example over its features (the last dimension): 1 for a linear layer on a
    // vector, the number of tokens for one applied to each token of a sequence (ViT, the Transformer).
    private static Dictionary<string, long> OutputPositions(nn.Module<Tensor, Tensor> model, long[] inputShape, List<(string Name, bool Convolution)> weights)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var positions = new Dictionary<string, long>();
        var removers = new List<Action>();
        foreach (var (name, convolution) in weights)
        {
            var owner = name.Contains('.') ? name[..name.LastIndexOf('.')] : "";
            if (modules.GetValueOrDefault(owner) is not nn.Module<Tensor, Tensor> module)
                throw new ArgumentException($"Cannot measure '{name}': its layer is not a tensor-to-tensor module.");
            var remover = module.register_forward_hook((_, _, output) =>
            {
                positions[name] = output.numel() / output.shape[0] / output.shape[convolution ? 1 : ^1];
                return output;
            });
            removers.Add(remover.remove);
        }
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var device = model.parameters().First().device;
            bool wasTraining = model.training;
            model.eval();
            model.call(zeros([1, .. inputShape], device: device));
            if (wasTraining) model.train();
        }
        finally
        {
            foreach (var remove in removers) remove();
        }
        var missing = weights.Select(w => w.Name).Where(n => !positions.ContainsKey(n)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"The forward pass did not use {string.Join(", ", missing)}; is the model called through .call()?");
        return positions;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"layer",-20} {"kept",9} {"total",9} {"sparsity",9} {"dense FLOPs",12} {"sparse FLOPs",12}");
        foreach (var l in Layers)
            text.AppendLine($"{l.Name,-20} {l.Kept,9} {l.Total,9} {l.Sparsity,9:P2} {l.DenseFlops,12} {l.SparseFlops,12}");
        text.Append($"{"total",-20} {Layers.Sum(l => l.Kept),9} {Layers.Sum(l => l.Total),9} {Sparsity,9:P2} {DenseFlops,12} {SparseFlops,12}");
        text.Append($"  compression {CompressionRatio:F2}x, speed-up {TheoreticalSpeedup:F2}x");
        return text.ToString();
    }
}
