using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Tests.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Methods;

public class L0RegularizationTests
{
    private static Dataset Synthetic() => Datasets.Synthetic(trainCount: 300, testCount: 100, seed: 2, device: CPU);

    [Fact]
    public void Training_prunes_and_evaluation_zeroes_exactly_the_weights_the_masks_and_the_report_count()
    {
        // LeNet-300-100 on 8x8 synthetic images: small enough to train in a second or two.
        using var singleThread = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 300, testCount: 200, imageSize: 8, seed: 2, device: CPU);
        Seeding.Set(1);
        var model = new LeNet300_100(new L0Layers(), inputFeatures: 64);
        var method = new L0Regularization(lambda: 0.1);
        var run = Trainer.Train(model, data, new TrainConfig { Steps = 200, BatchSize = 30, Optimizer = new Adam(0.05), EvaluateEvery = 0 }, method);
        var masks = method.Masks!;
        Assert.Equal(new[] { "fc1.weight", "fc2.weight", "fc3.weight" }, masks.Names);
        Assert.InRange(masks.Sparsity, 0.3, 0.999);
        Assert.True(run.TestAccuracy > 0.9, $"test accuracy {run.TestAccuracy}");

        model.eval();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var (name, inFeatures) in new[] { ("fc1", 64L), ("fc2", 300L), ("fc3", 100L) })
        {
            var effective = VariationalDropoutLayerTests.EffectiveWeights((nn.Module<Tensor, Tensor>)modules[name], inFeatures);
            var layer = masks.Layers.Single(l => l.Name == $"{name}.weight");
            Assert.Equal(layer.Total - layer.Kept, effective.eq(0).sum().item<long>());
        }
        var report = SparsityReport.Of(model, [1, 8, 8], masks);
        Assert.Equal(masks.Sparsity, report.Sparsity, 12);
        // The training-only parameters (log sigma^2, gate logits) are left out of the compression ratio.
        const long weights = 64 * 300 + 300 * 100 + 100 * 10, biases = 300 + 100 + 10;
        Assert.Equal(weights + biases, report.Parameters);
        Assert.Equal(weights + biases - (masks.Total - masks.Kept), report.NonZeroParameters);
        Assert.True(report.SparseFlops < report.DenseFlops);
    }

    [Fact]
    public void The_loss_term_is_lambda_times_the_expected_L0_per_training_example()
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, layers: new L0Layers(), device: CPU);
        using var optimizer = new Adam().Create(model.named_parameters().ToList());
        var context = new TrainingContext(model, optimizer, data, new TrainConfig());
        var method = new L0Regularization(lambda: 0.5);
        method.OnStart(context);
        // Every gate starts at log alpha ~ 0, where P(z != 0) = sigmoid(-beta log(0.1 / 1.1)) ~ 0.832.
        double expected = 266_200 * (1 - HardConcrete.Louizos.ProbabilityZero(0));
        Assert.Equal(expected, L0Regularization.ExpectedL0Of(model).item<float>(), expected * 1e-3);
        Assert.Equal(0.5 * L0Regularization.ExpectedL0Of(model).item<float>() / 300, method.LossTerm(context)!.item<float>(), 3);
        Assert.Null(new L0Regularization(lambda: 0).LossTerm(context));
    }

    [Fact]
    public void A_model_without_L0_layers_is_a_clear_error()
    {
        using var data = Synthetic();
        var e = Assert.Throws<ArgumentException>(() =>
            Trainer.Train(Zoo.LeNet300_100(layers: new VariationalDropoutLayers(), device: CPU), data, new TrainConfig { Steps = 5 }, new L0Regularization()));
        Assert.Contains("layers: new L0Layers()", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new L0Regularization(lambda: double.NaN));
    }
}
