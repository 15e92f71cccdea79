using SparsityKit.Models;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Sparsity;

public class MaskSetTests
{
    [Fact]
    public void Apply_zeroes_exactly_the_pruned_weights()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.7));
        masks.ApplyTo(model);
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith("weight")))
        {
            Assert.Equal(0, p.masked_select(masks[name].eq(0)).abs().sum().item<float>());
            Assert.Equal(masks[name].sum().item<float>(), p.count_nonzero().item<long>());
        }
    }

    [Fact]
    public void Save_and_load_round_trip_beside_the_weights()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Random(model, SparsityDistribution.Uniform(0.5), seed: 2);
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "masks.sktf");
        masks.Save(path);
        using var loaded = MaskSet.Load(path);
        Assert.Equal(masks.Names, loaded.Names);
        Assert.All(masks.Names, n => Assert.True(masks[n].allclose(loaded[n], 0, 0)));
        // The model's own state is untouched by masks: it still saves and loads as a plain model.
        Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("mask"));
    }

    [Fact]
    public void Intersection_keeps_weights_kept_by_both()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var a = Prune.Random(model, SparsityDistribution.Uniform(0.5), seed: 1);
        using var b = Prune.Random(model, SparsityDistribution.Uniform(0.5), seed: 2);
        using var both = a.Intersect(b);
        Assert.True((both["fc1.weight"] - a["fc1.weight"] * b["fc1.weight"]).abs().max().item<float>() == 0);
        Assert.InRange(both.Sparsity, 0.70, 0.80);
    }

    [Fact]
    public void Table_reports_kept_total_and_sparsity_per_layer_and_in_total()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.9));
        Assert.Equal(new[] { 23_520L, 3_000, 100 }, masks.Layers.Select(l => l.Kept));
        Assert.Equal(266_200, masks.Total);
        Assert.Equal(0.9, masks.Sparsity, 6);
        Assert.Contains("fc2.weight", masks.ToString());
        Assert.Contains("90.00", masks.ToString());
    }

    [Fact]
    public void Report_counts_a_linear_layer_once_per_token_on_a_sequence()
    {
        // ViT-small on 1x28x28: 4x4 patches give 49 tokens and the class token, 50; every encoder linear layer runs on each.
        var model = Zoo.Create("vit-small", seed: 1, device: CPU, inputShape: [1, 28, 28], classes: 10);
        var layers = SparsityReport.Of(model, [1, 28, 28]).Layers.ToDictionary(l => l.Name);
        Assert.Equal(128L * 256 * 50, layers["layers.0.fc1.weight"].DenseFlops);
        Assert.Equal(128L * 16 * 49, layers["patch_embed.weight"].DenseFlops);   // a convolution: once per output position
        Assert.Equal(128L * 10, layers["head.weight"].DenseFlops);              // the class token only
    }

    [Fact]
    public void Non_binary_masks_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new MaskSet([new("w", tensor(new[] { 0f, 0.5f }))]));
        Assert.Contains("other than 0 and 1", e.Message);
    }

    [Fact]
    public void Report_counts_flops_dense_and_sparse()
    {
        var model = Zoo.LeNet5(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
        var report = SparsityReport.Of(model, [1, 28, 28], masks);
        // conv1: 500 weights used at 24x24 positions; conv2: 25,000 weights at 8x8; the linear layers once each.
        Assert.Equal(new[] { 500L * 576, 25_000L * 64, 400_000, 5_000 }, report.Layers.Select(l => l.DenseFlops));
        Assert.Equal(250L * 576, report.Layers[0].SparseFlops);
        Assert.Equal(2.0, report.TheoreticalSpeedup, 2);
        long parameters = 430_500 + 20 + 50 + 500 + 10;
        Assert.Equal(parameters, report.Parameters);
        Assert.Equal((double)parameters / (parameters - 215_250), report.CompressionRatio, 6);
    }

    [Fact]
    public void Applying_leaves_no_temporary_tensor_to_the_finalizer()
    {
        // A temporary outside every dispose scope is freed by the finalizer thread, which can run while libtorch still
        // reads it (CI once failed in SparseLinear's constructor: "Could not run 'aten::copy_'" on a freed tensor).
        var model = Zoo.LeNet5(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
        DisposeScopeManager.Statistics.Reset();
        masks.ApplyTo(model);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }

    [Fact]
    public void Cloning_leaves_no_temporary_tensor_to_the_finalizer()
    {
        var model = Zoo.LeNet5(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
        DisposeScopeManager.Statistics.Reset();
        using var copy = masks.Clone();
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }

    [Fact]
    public void Saving_and_loading_leaves_no_temporary_tensor_to_the_finalizer()
    {
        var model = Zoo.LeNet5(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "masks.sktf");
        DisposeScopeManager.Statistics.Reset();
        masks.Save(path);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
        using var loaded = MaskSet.Load(path);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }
}
