using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>Mean loss and accuracy of a classifier over a whole labelled set.</summary>
public static class Evaluation
{
    /// <summary>Mean cross-entropy and top-1 accuracy (see <see cref="Measure"/> for top-5 too).</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int batchSize = 2_000)
    {
        var scores = Measure(model, images, labels, batchSize);
        return (scores.Loss, scores.Accuracy);
    }

    /// <summary>
    /// Mean cross-entropy, top-1 accuracy and, for more than five classes, top-5 accuracy (the label among the five
    /// highest logits), in evaluation mode; the model's mode is restored after.
    /// </summary>
    public static EvaluationScores Measure(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int batchSize = 2_000)
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
            var inTopFive = zeros(1, dtype: ScalarType.Int64, device: images.device);
            bool topFive = false;
            for (long start = 0; start < n; start += batchSize)
            {
                using var batchScope = NewDisposeScope();
                long size = Math.Min(batchSize, n - start);
                var logits = model.call(images.narrow(0, start, size));
                var target = labels.narrow(0, start, size);
                lossSum.add_(nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum).to(ScalarType.Float64));
                correct.add_(logits.argmax(1).eq(target).sum());
                topFive = logits.shape[1] > 5;
                if (topFive) inTopFive.add_(TopFiveHits(logits, target));
            }
            // One transfer for the numbers, at the end, so a GPU is not synchronised per batch.
            var totals = cat([correct, inTopFive]).cpu();
            return new EvaluationScores(lossSum.item<double>() / n, totals[0].item<long>() / (double)n,
                topFive ? totals[1].item<long>() / (double)n : null);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>How many rows of <paramref name="logits"/> have their label among their five largest entries.</summary>
    public static Tensor TopFiveHits(Tensor logits, Tensor labels)
    {
        var (_, top) = logits.topk(5, dim: 1);
        return top.eq(labels.unsqueeze(1)).any(1).sum();
    }
}

/// <summary>One evaluation of a classifier: mean cross-entropy, top-1 accuracy, and top-5 accuracy for more than five classes.</summary>
public sealed record EvaluationScores(double Loss, double Accuracy, double? Top5Accuracy);
