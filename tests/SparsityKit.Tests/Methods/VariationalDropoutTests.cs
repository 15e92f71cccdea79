using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Tests.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Methods;

public class VariationalDropoutTests
{
    private static Dataset Synthetic() => Datasets.Synthetic(trainCount: 300, testCount: 100, seed: 2, device: CPU);

    [Fact]
    public void Training_prunes_and_evaluation_zeroes_exactly_the_weights_the_masks_and_the_report_count()
    {
        // LeNet-300-100 on 8x8 synthetic images: small enough to train in a second or two.
        using var singleThread = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 300, testCount: 200, imageSize: 8, seed: 2, device: CPU);
        Seeding.Set(1);
        var model = new LeNet300_100(new VariationalDropoutLayers(), inputFeatures: 64);
        var method = new VariationalDropout(klWeight: 0.02, KlSchedule.Constant);
        var run = Trainer.Train(model, data, new TrainConfig { Steps = 200, BatchSize = 30, Optimizer = new Adam(0.01), EvaluateEvery = 0 }, method);
        var masks = method.Masks!;
        Assert.Equal(new[] { "fc1.theta", "fc2.theta", "fc3.theta" }, masks.Names);
        Assert.InRange(masks.Sparsity, 0.3, 0.999);
        Assert.True(run.TestAccuracy > 0.9, $"test accuracy {run.TestAccuracy}");

        model.eval();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var (name, inFeatures) in new[] { ("fc1", 64L), ("fc2", 300L), ("fc3", 100L) })
        {
            var effective = VariationalDropoutLayerTests.EffectiveWeights((nn.Module<Tensor, Tensor>)modules[name], inFeatures);
            var layer = masks.Layers.Single(l => l.Name == $"{name}.theta");
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
    public void The_loss_term_is_the_scheduled_weighted_KL_per_training_example()
    {
        using var data = Synthetic();
        var model = Zoo.LeNet300_100(seed: 1, layers: new VariationalDropoutLayers(), device: CPU);
        using var optimizer = new Adam().Create(model.named_parameters().ToList());
        var config = new TrainConfig { BatchSize = 30 };   // 10 steps per epoch on 300 examples
        var context = new TrainingContext(model, optimizer, data, config);
        var method = new VariationalDropout(klWeight: 3, KlSchedule.Molchanov);
        method.OnStart(context);
        Assert.Null(method.LossTerm(context));             // epoch 0: the KL is not yet switched on
        context.Step = 125;                                // epoch 12.5: half-way up the ramp from 5 to 20
        double kl = VariationalDropout.KlOf(model).item<float>();
        Assert.Equal(3 * 0.5 * kl / 300, method.LossTerm(context)!.item<float>(), 4);
        context.Step = 1_000;
        Assert.Equal(3 * kl / 300, method.LossTerm(context)!.item<float>(), 4);
    }

    [Fact]
    public void Kl_schedule_is_zero_then_linear_then_one()
    {
        Assert.Equal(0, KlSchedule.Molchanov.Factor(4.99));
        Assert.Equal(0, KlSchedule.Molchanov.Factor(5));
        Assert.Equal(0.5, KlSchedule.Molchanov.Factor(12.5), 12);
        Assert.Equal(1, KlSchedule.Molchanov.Factor(20));
        Assert.Equal(1, KlSchedule.Molchanov.Factor(150));
        Assert.Equal(1, KlSchedule.Constant.Factor(0));
    }

    [Fact]
    public void A_model_without_variational_dropout_layers_is_a_clear_error()
    {
        using var data = Synthetic();
        var e = Assert.Throws<ArgumentException>(() =>
            Trainer.Train(Zoo.LeNet300_100(device: CPU), data, new TrainConfig { Steps = 5 }, new VariationalDropout()));
        Assert.Contains("layers: new VariationalDropoutLayers()", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new VariationalDropout(klWeight: -1));
    }

    [Fact]
    public void A_threshold_can_be_set_for_a_target_sparsity_without_retraining()
    {
        Seeding.Set(7);
        var model = Zoo.LeNet300_100(seed: 7, layers: new VariationalDropoutLayers(), device: CPU);
        foreach (var (_, layer) in VariationalDropout.LayersOf(model))
            using (no_grad()) layer.LogSigma2.copy_(randn(layer.LogSigma2.shape).mul(3));
        foreach (var target in new[] { 0.0, 0.5, 0.9, 0.95, 1.0 })
        {
            double threshold = VariationalDropout.SetThresholdForSparsity(model, target);
            using var masks = VariationalDropout.MasksOf(model);
            Assert.Equal(target, masks.Sparsity, 5);
            Assert.All(VariationalDropout.LayersOf(model), l => Assert.Equal(threshold, l.Layer.Threshold));
        }
    }
}
