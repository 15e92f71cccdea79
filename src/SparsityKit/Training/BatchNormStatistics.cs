using SparsityKit.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// Recomputes the running statistics of a model's batch norms from training batches passed through the network as it is
/// evaluated. Training gathers them on the pre-activations of the network it trains; where that differs from the
/// evaluated network (variational dropout's noisy weights against its noiseless, thresholded ones), evaluation
/// normalises with statistics of another network.
/// </summary>
public static class BatchNormStatistics
{
    /// <summary>Whether the model has a batch norm with running statistics, which <see cref="Recompute"/> would set.</summary>
    public static bool Applies(nn.Module model) => RunningNorms(model).Count > 0;

    private static List<BatchNorm> RunningNorms(nn.Module model) => [.. model.modules().OfType<BatchNorm>().Where(n => n.track_running_stats)];

    /// <summary>
    /// Sets every batch norm's running mean and variance to the average over <paramref name="batchCount"/> batches of
    /// <paramref name="batches"/> of each batch's statistics (as PyTorch's cumulative average, momentum None), computed
    /// with every other module in evaluation mode. The model's training flags and momenta are restored; the weights are
    /// not touched.
    /// </summary>
    /// <returns>The number of batch norms recomputed (0: the model has none, and nothing was run).</returns>
    public static int Recompute(nn.Module<Tensor, Tensor> model, IBatchStream batches, int batchCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchCount, 1);
        var norms = RunningNorms(model);
        if (norms.Count == 0) return 0;
        var modes = new List<(nn.Module Module, bool Training)>();
        Walk(model, m => modes.Add((m, m.training)));
        var momenta = norms.Select(n => n.momentum).ToList();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = norms.Select(n => (Mean: zeros_like(n.running_mean!), Variance: zeros_like(n.running_var!))).ToList();
        try
        {
            model.eval();
            foreach (var norm in norms)
            {
                norm.train();
                // Momentum 1: after each batch a running statistic is that batch's own, which is summed here. A batch
                // norm in training mode normalises with the batch's statistics, so the running ones feed nothing downstream.
                norm.momentum = 1;
            }
            for (int i = 0; i < batchCount; i++)
            {
                using var step = NewDisposeScope();
                model.forward(batches.Next().Inputs);
                for (int n = 0; n < norms.Count; n++)
                {
                    sums[n].Mean.add_(norms[n].running_mean!);
                    sums[n].Variance.add_(norms[n].running_var!);
                }
            }
            for (int n = 0; n < norms.Count; n++)
            {
                norms[n].running_mean!.copy_(sums[n].Mean.div_(batchCount));
                norms[n].running_var!.copy_(sums[n].Variance.div_(batchCount));
            }
        }
        finally
        {
            for (int n = 0; n < norms.Count; n++) norms[n].momentum = momenta[n];
            // Parents before children (as Walk visits them): train() and eval() set a module's whole subtree.
            foreach (var (module, training) in modes)
                if (training) module.train(); else module.eval();
        }
        return norms.Count;
    }

    // The module, then each child's subtree in turn.
    private static void Walk(nn.Module module, Action<nn.Module> visit)
    {
        visit(module);
        foreach (var (_, child) in module.named_children()) Walk(child, visit);
    }
}
