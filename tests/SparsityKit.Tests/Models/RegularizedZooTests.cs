using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Models;

/// <summary>Every zoo model is written once against the layer factory: its variational-dropout and L0 versions train.</summary>
public class RegularizedZooTests
{
    private static readonly TrainConfig OneStep = new() { Steps = 1, BatchSize = 4, EvaluateEvery = 0, EvaluationBatchSize = 4, Optimizer = new Adam(1e-3) };

    // VGG-19 is CifarVgg with VGG-16's code path and 5M more weights: it is left out here to keep the suite fast
    // (its dense version is built, counted and run forward in ZooCatalogTests).
    public static TheoryData<string> ImageModels => new(Zoo.Models.Where(m => !m.TakesTokens && m.Name != "vgg19").Select(m => m.Name));

    [Theory]
    [MemberData(nameof(ImageModels))]
    public void Variational_dropout_version_trains_and_hands_back_one_mask_per_prunable_weight(string name)
    {
        using var singleThread = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 8, testCount: 4, seed: 1, device: CPU);
        var model = Zoo.Create(name, seed: 1, layers: new VariationalDropoutLayers(), device: CPU, inputShape: data.ImageShape, classes: 10);
        var before = LogParameter(model, "log_sigma2");
        var method = new VariationalDropout();
        var run = Trainer.Train(model, data, OneStep, method);
        Assert.True(double.IsFinite(run.Final.TestLoss), $"{name}: test loss {run.Final.TestLoss}");
        Assert.False(before.allclose(LogParameter(model, "log_sigma2")), $"{name}: log sigma^2 did not train");
        Assert.Equal(Prunable.Default.Select(model).Select(p => p.Name).Order(), method.Masks!.Names.Order());
        Assert.All(method.Masks.Names, n => Assert.EndsWith(".theta", n));
    }

    [Theory]
    [MemberData(nameof(ImageModels))]
    public void L0_version_trains_and_hands_back_one_mask_per_prunable_weight(string name)
    {
        using var singleThread = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 8, testCount: 4, seed: 1, device: CPU);
        var model = Zoo.Create(name, seed: 1, layers: new L0Layers(), device: CPU, inputShape: data.ImageShape, classes: 10);
        var before = LogParameter(model, "log_alpha");
        var method = new L0Regularization(lambda: 0.1);
        var run = Trainer.Train(model, data, OneStep, method);
        Assert.True(double.IsFinite(run.Final.TestLoss), $"{name}: test loss {run.Final.TestLoss}");
        Assert.False(before.allclose(LogParameter(model, "log_alpha")), $"{name}: the gates did not train");
        Assert.Equal(Prunable.Default.Select(model).Select(p => p.Name).Order(), method.Masks!.Names.Order());
    }

    [Theory]
    [InlineData("variational-dropout"), InlineData("l0")]
    public void Transformer_versions_train_a_few_steps_on_a_copy_task(string kind)
    {
        using var singleThread = new SingleThread();
        ILayerFactory layers = kind == "l0" ? new L0Layers() : new VariationalDropoutLayers();
        var model = Zoo.CreateTransformer("transformer-small", seed: 2, layers: layers, device: CPU, vocabulary: 16);
        var embedding = Prunable.Default.Select(model).First();
        Assert.StartsWith("embedding.", embedding.Name);
        var before = embedding.Parameter.detach().clone();
        var optimizer = torch.optim.Adam(model.parameters(), 1e-3);
        model.train();
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var source = randint(2, 16, [4, 6]);
            var target = cat([zeros(4, 1, dtype: ScalarType.Int64), source[.., ..5]], dim: 1);   // shifted right, 0 = start
            var logits = model.call(source, target);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, 16), source.reshape(-1));
            var regulariser = layers is L0Layers
                ? model.modules().OfType<L0Layer>().Select(l => l.ExpectedL0()).Aggregate((a, b) => a + b) * 1e-6
                : model.modules().OfType<VariationalDropoutLayer>().Select(l => l.Kl()).Aggregate((a, b) => a + b) * 1e-6;
            optimizer.zero_grad();
            loss.add(regulariser).backward();
            optimizer.step();
            Assert.True(double.IsFinite(loss.item<float>()));
        }
        Assert.False(before.allclose(embedding.Parameter), "the shared embedding did not train");
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 3, 16 }, model.call(randint(16, [1, 3]), randint(16, [1, 3])).shape);
    }

    private static Tensor LogParameter(nn.Module model, string suffix) =>
        model.named_parameters().First(p => p.name.EndsWith(suffix)).parameter.detach().clone();
}
