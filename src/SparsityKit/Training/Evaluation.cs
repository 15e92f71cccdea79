using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>Mean loss and accuracy of a classifier over a whole labelled set.</summary>
public static class Evaluation
{
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int batchSize = 2_000)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            long n = images.shape[0];
            var lossSum = zeros(1, dtype: ScalarType.Float64, device: images.device);
            var correct = zeros(1, dtype: ScalarType.Int64, device: images.device);
            for (long start = 0; start < n; start += batchSize)
            {
                using var batchScope = NewDisposeScope();
                long size = Math.Min(batchSize, n - start);
                var logits = model.call(images.narrow(0, start, size));
                var target = labels.narrow(0, start, size);
                lossSum.add_(nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum).to(ScalarType.Float64));
                correct.add_(logits.argmax(1).eq(target).sum());
            }
            // One transfer for both numbers, at the end, so a GPU is not synchronised per batch.
            return (lossSum.item<double>() / n, correct.item<long>() / (double)n);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
