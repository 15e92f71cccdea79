using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// GraSP (Wang, Zhang, Grosse 2020): S = -w * Hg, with g the gradient of the loss (logits divided by a temperature)
/// summed over the batches and Hg the Hessian-gradient product from a second, differentiated pass. GraSP removes the
/// weights with the largest S, so as a criterion (lowest pruned first) it ranks by -S; <see cref="RawScores"/> gives S.
/// </summary>
internal sealed class GraspCriterion : InitializationCriterion
{
    private readonly int _examples, _batches;
    private readonly double _temperature;

    public GraspCriterion(int examples, int batches, double temperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive (Wang et al. use 200).");
        (_examples, _batches, _temperature) = (examples, batches, temperature);
    }

    public override string Name => $"GraSP ({_batches} x {_examples} examples, T {_temperature:G3})";

    public override IReadOnlyList<Tensor> Scores(nn.Module<Tensor, Tensor> model, Dataset data, long seed, Prunable? prunable = null)
    {
        var raw = RawScores(model, data, seed, prunable);
        return raw.Select(s => s.neg_()).ToList();
    }

    /// <summary>S = -w * Hg per prunable layer (GraSP prunes the largest).</summary>
    public IReadOnlyList<Tensor> RawScores(nn.Module<Tensor, Tensor> model, Dataset data, long seed, Prunable? prunable = null)
    {
        var weights = (prunable ?? Prunable.Default).Select(model).Select(l => (Tensor)l.Parameter).ToList();
        ClearGradients(model);
        List<Tensor> hg;
        using (var scope = NewDisposeScope())
        {
            var batches = Batches(data, _examples, _batches, seed);
            Tensor Loss(Tensor images, Tensor labels) => nn.functional.cross_entropy(model.call(images).div(_temperature), labels);
            // First pass: g, summed over the batches, held constant.
            var g = weights.Select(w => zeros_like(w)).ToList();
            foreach (var (images, labels) in batches)
            {
                var grads = autograd.grad([Loss(images, labels)], weights);
                for (int i = 0; i < g.Count; i++) g[i].add_(grads[i].detach());
            }
            // Second pass: d/dw (grad L . g) = H g, accumulated into .grad over the batches.
            foreach (var (images, labels) in batches)
            {
                var grads = autograd.grad([Loss(images, labels)], weights, retain_graph: true, create_graph: true);
                var z = grads.Zip(g, (a, b) => a.mul(b).sum()).Aggregate((a, b) => a.add(b));
                z.backward();
            }
            hg = weights.Select(w => w.grad!.detach().clone().MoveToOuterDisposeScope()).ToList();
        }
        ClearGradients(model);
        using var noGrad = no_grad();
        return weights.Zip(hg, (w, h) => h.mul_(w).neg_()).ToList();
    }
}
