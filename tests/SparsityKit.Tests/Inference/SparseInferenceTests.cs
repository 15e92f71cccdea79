using SparsityKit.Inference;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Inference;

public class SparseInferenceTests
{
    private static readonly double[] Sparsities = [0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99];

    [Theory]
    [InlineData("lenet300-100")]
    [InlineData("lenet5")]
    public void Sparse_outputs_equal_the_masked_dense_model_at_every_sparsity_and_batch(string name)
    {
        using var threads = new SingleThread();
        foreach (var sparsity in Sparsities)
        {
            var model = PrunedModel(name, sparsity, out var masks);
            using var _ = masks;
            using var sparse = SparseInference.Convert(model, masks, SparseLayerChoice.AlwaysSparse);
            using var dense = SparseInference.Convert(model, masks, SparseLayerChoice.NeverSparse);
            var reference = Float64Copy(name, model);
            Assert.All(sparse.Layers.Where(l => l.DenseFlops > 0), l => Assert.True(l.RunsSparse(1) && l.RunsSparse(10_000)));
            // 1: a dot per row; 5: one narrow panel without libtorch; 67: a panel of 64 and a padded one.
            foreach (long batch in new long[] { 1, 5, 67 })
            {
                using var scope = NewDisposeScope();
                var x = randn(batch, 1, 28, 28, generator: new Generator(7 + (ulong)batch));
                // The reference runs in float64: libtorch's float32 conv2d is wrong on this machine for LeNet-5's conv2 (see SparseConv2d).
                var expected = reference.call(x.to(ScalarType.Float64)).to(ScalarType.Float32);
                AssertClose(expected, sparse.forward(x), $"{name} at {sparsity:P0}, batch {batch}, sparse");
                if (sparsity <= 0.5) AssertClose(expected, dense.forward(x), $"{name} at {sparsity:P0}, batch {batch}, dense");
            }
        }
    }

    [Fact]
    public void Odd_shapes_and_a_plan_of_ones_own_run_sparse_exactly()
    {
        using var threads = new SingleThread();
        Seeding.Set(3);
        var model = nn.Sequential(("conv", nn.Conv2d(3, 5, 3)), ("fc", nn.Linear(5 * 3 * 2, 7)), ("out", nn.Linear(7, 3)));
        using (no_grad()) foreach (var p in model.parameters()) p.normal_();
        using var masks = Prune.Random(model, SparsityDistribution.Uniform(0.6), seed: 4);
        masks.ApplyTo(model);
        var plan = new InferencePlan([3, 9, 7], [new PlanStep.Conv2d("conv"), new PlanStep.Relu(), new PlanStep.MaxPool2d(2),
            new PlanStep.Linear("fc"), new PlanStep.Relu(), new PlanStep.Linear("out")]);
        using var sparse = SparseInference.Convert(model, masks, SparseLayerChoice.AlwaysSparse, plan);
        using var dense = SparseInference.Convert(model, masks, SparseLayerChoice.NeverSparse, plan);
        foreach (long batch in new long[] { 1, 3, 17, 131 })
        {
            using var scope = NewDisposeScope();
            var x = randn(batch, 3, 9, 7);
            // The reference, written out: conv, ReLU, 2x2 pool (the odd last row and column dropped), fc, ReLU, out.
            var h = nn.functional.max_pool2d(nn.functional.relu(((nn.Module<Tensor, Tensor>)model[0]).call(x)), 2).flatten(1);
            var expected = ((nn.Module<Tensor, Tensor>)model[2]).call(nn.functional.relu(((nn.Module<Tensor, Tensor>)model[1]).call(h)));
            AssertClose(expected, sparse.forward(x), $"batch {batch}, sparse");
            AssertClose(expected, dense.forward(x), $"batch {batch}, dense");
        }
    }

    [Fact]
    public void The_default_choice_keeps_a_half_sparse_layer_dense_and_runs_a_95_percent_layer_sparse()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.PerLayer(new Dictionary<string, double>
            { ["fc1.weight"] = 0.95, ["fc2.weight"] = 0.5, ["fc3.weight"] = 0 }));
        using var sparse = SparseInference.Convert(model, masks);
        var layers = sparse.Layers.Where(l => l.DenseFlops > 0).ToDictionary(l => l.Name);
        foreach (long batch in new long[] { 1, 60, 10_000 })
        {
            Assert.True(layers["fc1"].RunsSparse(batch), $"fc1 at 95% should run sparse at batch {batch}");
            Assert.False(layers["fc2"].RunsSparse(batch), $"fc2 at 50% should stay dense at batch {batch}");
            Assert.False(layers["fc3"].RunsSparse(batch));
        }
        Assert.Equal(0.05, layers["fc1"].Density, 3);
        Assert.Contains("fc2", sparse.ToString());
    }

    [Fact]
    public void Results_are_bit_identical_on_one_thread_and_two_and_from_run_to_run()
    {
        var model = PrunedModel("lenet5", 0.9, out var masks);
        using var _ = masks;
        using var sparse = SparseInference.Convert(model, masks, SparseLayerChoice.AlwaysSparse);
        using var x = randn(200, 1, 28, 28, generator: new Generator(5));
        sparse.Threads = 1;
        using var one = sparse.forward(x);
        using var again = sparse.forward(x);
        sparse.Threads = 2;
        using var two = sparse.forward(x);
        Assert.True(one.eq(again).all().item<bool>());
        Assert.True(one.eq(two).all().item<bool>());
    }

    // A model trained with TrainConfig.ChannelsLast converts by its kernels' values, not their memory order.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_channels_last_model_converts_to_the_same_sparse_model(bool alwaysSparse)
    {
        using var scope = NewDisposeScope();
        var choice = alwaysSparse ? SparseLayerChoice.AlwaysSparse : SparseLayerChoice.Default;
        var model = PrunedModel("lenet5", 0.9, out var masks);
        using var _ = masks;
        using var plain = SparseInference.Convert(model, masks, choice);
        SparsityKit.Training.ChannelsLast.Apply(model);
        using var relaid = SparseInference.Convert(model, masks, choice);
        var x = randn(20, 1, 28, 28, generator: new Generator(5));
        Assert.True(plain.forward(x).eq(relaid.forward(x)).all().item<bool>());
    }

    [Fact]
    public void Panel_by_panel_gives_the_same_bits_as_layer_by_layer()
    {
        var model = PrunedModel("lenet5", 0.9, out var masks);
        using var _ = masks;
        using var sparse = SparseInference.Convert(model, masks, SparseLayerChoice.AlwaysSparse);
        using var x = randn(150, 1, 28, 28, generator: new Generator(9));
        using var layerByLayer = sparse.forward(x);
        sparse.PanelByPanelAbove = 0;
        using var panelByPanel = sparse.forward(x);
        sparse.Threads = 2;
        using var twoThreads = sparse.forward(x);
        Assert.True(layerByLayer.eq(panelByPanel).all().item<bool>());
        Assert.True(layerByLayer.eq(twoThreads).all().item<bool>());
    }

    [Fact]
    public void A_wrongly_shaped_input_is_refused_with_the_expected_shape()
    {
        var model = PrunedModel("lenet300-100", 0.9, out var masks);
        using var _ = masks;
        using var sparse = SparseInference.Convert(model, masks);
        using var x = randn(4, 100);
        var error = Assert.Throws<ArgumentException>(() => sparse.forward(x));
        Assert.Contains("784", error.Message);
    }

    /// <summary>A zoo model with random biases, pruned by magnitude to <paramref name="sparsity"/> and masked.</summary>
    internal static nn.Module<Tensor, Tensor> PrunedModel(string name, double sparsity, out MaskSet masks)
    {
        var model = Zoo.Create(name, seed: 11, device: CPU);
        using (no_grad())
            foreach (var (n, p) in model.named_parameters().Where(p => p.name.EndsWith("bias"))) p.uniform_(-0.5, 0.5);
        masks = Prune.Magnitude(model, SparsityDistribution.Uniform(sparsity));
        masks.ApplyTo(model);
        model.eval();
        return model;
    }

    /// <summary>The model's (masked) weights in a float64 copy, the reference the float32 products are compared with.</summary>
    internal static nn.Module<Tensor, Tensor> Float64Copy(string name, nn.Module<Tensor, Tensor> model)
    {
        var copy = Zoo.Create(name, device: CPU);
        copy.load_state_dict(model.state_dict());
        copy.to(ScalarType.Float64);
        copy.eval();
        return copy;
    }

    /// <summary>Equal within 1e-5 relative to the largest output (rounding of sums taken in another order).</summary>
    internal static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(expected.abs().max().item<float>(), 1e-30);
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= 1e-5 * scale, $"{what}: largest difference {difference:E2} over largest output {scale:E2}");
    }
}
