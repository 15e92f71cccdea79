using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// Mean loss and accuracy of a classifier over a whole labelled set. Means are over the labelled targets: one per example
/// for images, one per token that is not padding (<see cref="Data.PackedSequencePairs.IgnoredLabel"/>) for sequences.
/// </summary>
public static class Evaluation
{
    /// <summary>Mean cross-entropy and top-1 accuracy (see <see cref="Measure(nn.Module{Tensor, Tensor}, Tensor, Tensor, int)"/> for top-5 too).</summary>
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
            var labelled = zeros(1, dtype: ScalarType.Int64, device: images.device);
            var correct = zeros(1, dtype: ScalarType.Int64, device: images.device);
            var inTopFive = zeros(1, dtype: ScalarType.Int64, device: images.device);
            bool topFive = false;
            for (long start = 0; start < n; start += batchSize)
            {
                using var batchScope = NewDisposeScope();
                long size = Math.Min(batchSize, n - start);
                var logits = model.call(images.narrow(0, start, size));
                var target = labels.narrow(0, start, size);
                lossSum.add_(nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum).to(ScalarType.Float64), Scalars.One);
                correct.add_(logits.argmax(1).eq(target).sum(), Scalars.One);
                labelled.add_(Labelled(target), Scalars.One);
                topFive = logits.shape[1] > 5;
                if (topFive) inTopFive.add_(TopFiveHits(logits, target), Scalars.One);
            }
            // One transfer for the numbers, at the end, so a GPU is not synchronised per batch.
            var totals = cat([correct, inTopFive, labelled]).cpu();
            double count = totals[2].item<long>();
            return new EvaluationScores(lossSum.item<double>() / count, totals[0].item<long>() / count,
                topFive ? totals[1].item<long>() / count : null);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>Mean loss and top-1 accuracy over a set given in batches (a stream's test set).</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Inputs, Tensor Labels)> batches)
    {
        var scores = Measure(model, batches);
        return (scores.Loss, scores.Accuracy);
    }

    /// <summary>As <see cref="Measure(nn.Module{Tensor, Tensor}, Tensor, Tensor, int)"/>, over a set given in batches (a stream's test set).</summary>
    public static EvaluationScores Measure(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Inputs, Tensor Labels)> batches)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            Tensor? lossSum = null, correct = null, inTopFive = null, labelled = null;
            bool topFive = false;
            foreach (var (inputs, labels) in batches)
            {
                using var batchScope = NewDisposeScope();
                // A stream makes each batch as it is enumerated, outside this scope: let the scope free it.
                inputs.MoveToOtherDisposeScope(batchScope);
                labels.MoveToOtherDisposeScope(batchScope);
                lossSum ??= zeros(1, dtype: ScalarType.Float64, device: inputs.device).MoveToOuterDisposeScope();
                correct ??= zeros(1, dtype: ScalarType.Int64, device: inputs.device).MoveToOuterDisposeScope();
                inTopFive ??= zeros(1, dtype: ScalarType.Int64, device: inputs.device).MoveToOuterDisposeScope();
                labelled ??= zeros(1, dtype: ScalarType.Int64, device: inputs.device).MoveToOuterDisposeScope();
                var logits = model.call(inputs);
                lossSum.add_(nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to(ScalarType.Float64), Scalars.One);
                correct.add_(logits.argmax(1).eq(labels).sum(), Scalars.One);
                labelled.add_(Labelled(labels), Scalars.One);
                topFive = logits.shape[1] > 5;
                if (topFive) inTopFive.add_(TopFiveHits(logits, labels), Scalars.One);
            }
            if (labelled is null) throw new ArgumentException("The evaluation set is empty.", nameof(batches));
            var totals = cat([correct!, inTopFive!, labelled]).cpu();
            double count = totals[2].item<long>();
            return new EvaluationScores(lossSum!.item<double>() / count, totals[0].item<long>() / count,
                topFive ? totals[1].item<long>() / count : null);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>A history row from a data source's test (and validation) batches.</summary>
    internal static HistoryRow Row(nn.Module<Tensor, Tensor> model, SparsityKit.Data.IDataSource data, int batchSize, long step, double trainLoss)
    {
        var test = Measure(model, data.TestBatches(batchSize));
        if (data.ValidationBatches(batchSize) is not { } validation)
            return new HistoryRow(step, trainLoss, test.Loss, test.Accuracy, TestTop5Accuracy: test.Top5Accuracy);
        var (validationLoss, validationAccuracy) = Evaluate(model, validation);
        return new HistoryRow(step, trainLoss, test.Loss, test.Accuracy, validationLoss, validationAccuracy, test.Top5Accuracy);
    }

    // Targets that count: every label but a padding position's (a padded image set has none).
    private static Tensor Labelled(Tensor labels) => labels.ne(Data.PackedSequencePairs.IgnoredLabel).sum();

    /// <summary>How many rows of <paramref name="logits"/> have their label among their five largest entries.</summary>
    public static Tensor TopFiveHits(Tensor logits, Tensor labels)
    {
        var (_, top) = logits.topk(5, dim: 1);
        return top.eq(labels.unsqueeze(1)).any(1).sum();
    }
}

/// <summary>One evaluation of a classifier: mean cross-entropy, top-1 accuracy, and top-5 accuracy for more than five classes.</summary>
public sealed record EvaluationScores(double Loss, double Accuracy, double? Top5Accuracy);
