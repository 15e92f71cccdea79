// After structured pruning: the compact dense model's parameters, FLOPs and measured speed against the masked model.
using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Train.Jobs;

internal static class CompactionReport
{
    public static void Print(nn.Module<Tensor, Tensor> masked, MaskSet masks, Dataset data)
    {
        var compact = Compaction.Compact(masked, masks);
        var before = SparsityReport.Of(masked, data.ImageShape);
        var after = SparsityReport.Of(compact, data.ImageShape);
        using var noGrad = no_grad();
        masked.eval();
        compact.eval();
        double difference = masked.call(data.TestImages.narrow(0, 0, 100)).sub(compact.call(data.TestImages.narrow(0, 0, 100))).abs().max().item<float>();
        // Forward passes over the test set, alternating models within each repeat; the ratio of each repeat's times.
        var ratios = new List<double>();
        for (int repeat = 0; repeat < 5; repeat++)
        {
            double maskedSeconds = Time(masked, data.TestImages), compactSeconds = Time(compact, data.TestImages);
            ratios.Add(maskedSeconds / compactSeconds);
        }
        ratios.Sort();
        Console.WriteLine($"compact model: {Compaction.ParameterCount(compact):N0} parameters (masked model {Compaction.ParameterCount(masked):N0}), " +
            $"{after.DenseFlops:N0} multiply-adds per example (dense {before.DenseFlops:N0}); largest output difference {difference:G3}; " +
            $"forward over the test set {ratios[2]:F2}x faster (median of 5, range {ratios[0]:F2}-{ratios[^1]:F2})");
    }

    private static double Time(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        var clock = Stopwatch.StartNew();
        for (long start = 0; start < images.shape[0]; start += 1_000)
            using (NewDisposeScope()) model.call(images.narrow(0, start, Math.Min(1_000, images.shape[0] - start)));
        return clock.Elapsed.TotalSeconds;
    }
}
