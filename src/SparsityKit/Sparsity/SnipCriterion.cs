using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>SNIP (Lee, Ajanthan, Torr 2019): connection sensitivity |dL/dw * w|, the gradient summed over the batches.</summary>
internal sealed class SnipCriterion(int examples, int batches) : InitializationCriterion
{
    public override string Name => batches == 1 ? $"SNIP ({examples} examples)" : $"SNIP ({batches} x {examples} examples)";

    public override IReadOnlyList<Tensor> Scores(nn.Module<Tensor, Tensor> model, Dataset data, long seed, Prunable? prunable = null)
    {
        var layers = (prunable ?? Prunable.Default).Select(model);
        using (var scope = NewDisposeScope())
        {
            ClearGradients(model);
            foreach (var (images, labels) in Batches(data, examples, batches, seed))
                nn.functional.cross_entropy(model.call(images), labels).backward();   // gradients add up over batches
        }
        using var noGrad = no_grad();
        var scores = layers.Select(l => l.Parameter.grad!.mul(l.Parameter).abs_()).ToList();
        ClearGradients(model);
        return scores;
    }
}
