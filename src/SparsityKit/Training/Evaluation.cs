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

    /// <summary>Mean loss and accuracy over a set given in batches (a stream's test set), read from the device once.</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Inputs, Tensor Labels)> batches)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            Tensor? lossSum = null, correct = null;
            long n = 0;
            foreach (var (inputs, labels) in batches)
            {
                using var batchScope = NewDisposeScope();
                // A stream makes each batch as it is enumerated, outside this scope: let the scope free it.
                inputs.MoveToOtherDisposeScope(batchScope);
                labels.MoveToOtherDisposeScope(batchScope);
                lossSum ??= zeros(1, dtype: ScalarType.Float64, device: inputs.device).MoveToOuterDisposeScope();
                correct ??= zeros(1, dtype: ScalarType.Int64, device: inputs.device).MoveToOuterDisposeScope();
                var logits = model.call(inputs);
                lossSum.add_(nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to(ScalarType.Float64));
                correct.add_(logits.argmax(1).eq(labels).sum());
                n += labels.shape[0];
            }
            if (n == 0) throw new ArgumentException("The evaluation set is empty.", nameof(batches));
            return (lossSum!.item<double>() / n, correct!.item<long>() / (double)n);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>A history row from a data source's test (and validation) batches.</summary>
    internal static HistoryRow Row(nn.Module<Tensor, Tensor> model, SparsityKit.Data.IDataSource data, int batchSize, long step, double trainLoss)
    {
        var (testLoss, testAccuracy) = Evaluate(model, data.TestBatches(batchSize));
        if (data.ValidationBatches(batchSize) is not { } validation) return new HistoryRow(step, trainLoss, testLoss, testAccuracy);
        var (validationLoss, validationAccuracy) = Evaluate(model, validation);
        return new HistoryRow(step, trainLoss, testLoss, testAccuracy, validationLoss, validationAccuracy);
    }
}
