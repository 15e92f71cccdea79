using SparsityKit.Data;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Training;

/// <summary>BatchNormStatistics: batch norm statistics recomputed on the network as evaluated.</summary>
public class BatchNormStatisticsTests
{
    [Fact]
    public void Recomputed_statistics_are_the_average_of_each_batchs_statistics_of_the_evaluated_network_and_nothing_else_changes()
    {
        using var data = Datasets.Synthetic(trainCount: 64, testCount: 8, imageSize: 4, seed: 1, device: CPU);
        manual_seed(1);
        // Dropout stands for variational dropout's noise: on in training, off in evaluation.
        var linear = nn.Linear(16, 6);
        var norm = nn.BatchNorm1d(6);
        using var model = nn.Sequential(("flat", nn.Flatten()), ("linear", linear), ("noise", nn.Dropout(0.5)), ("norm", norm));
        model.train();
        using (var noisy = data.TrainingBatches(16, seed: 2))
            for (int i = 0; i < 3; i++) model.forward(noisy.Next().Inputs);   // statistics gathered with the noise, as in training
        var weight = linear.weight!.clone();

        using (var batches = data.TrainingBatches(16, seed: 5))
            Assert.Equal(1, BatchNormStatistics.Recompute(model, batches, batchCount: 3));

        // By hand: the noiseless pre-activations of the same three batches, each batch's mean and unbiased variance.
        var (means, variances) = (new List<Tensor>(), new List<Tensor>());
        using (no_grad())
        using (var batches = data.TrainingBatches(16, seed: 5))
            for (int i = 0; i < 3; i++)
            {
                var pre = linear.forward(batches.Next().Inputs.flatten(1));
                means.Add(pre.mean([0]));
                variances.Add(pre.var(0, unbiased: true));
            }
        Assert.True(norm.running_mean!.allclose(stack(means).mean([0]), rtol: 1e-5, atol: 1e-6));
        Assert.True(norm.running_var!.allclose(stack(variances).mean([0]), rtol: 1e-5, atol: 1e-6));

        Assert.True(model.training && linear.training && norm.training);   // every module as it was
        Assert.Equal(0.1, norm.momentum);
        Assert.True(linear.weight!.allclose(weight, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_model_without_batch_norm_is_left_alone()
    {
        using var data = Datasets.Synthetic(trainCount: 32, testCount: 8, imageSize: 4, seed: 1, device: CPU);
        using var model = nn.Sequential(("flat", nn.Flatten()), ("linear", nn.Linear(16, 10)));
        using var batches = data.TrainingBatches(8, seed: 1);
        Assert.Equal(0, BatchNormStatistics.Recompute(model, batches, batchCount: 2));
    }
}
