using SparsityKit.Models;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Sparsity;

public class PruneTests
{
    /// <summary>A model holding one prunable linear layer whose weight we set.</summary>
    private static nn.Module<Tensor, Tensor> LinearWith(Tensor weight)
    {
        var layer = nn.Linear(weight.shape[1], weight.shape[0]);
        using (no_grad()) layer.weight!.copy_(weight);
        return layer;
    }

    [Fact]
    public void Magnitude_mask_keeps_exactly_the_k_largest_weights_over_random_shapes_and_amounts()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 40; trial++)
        {
            long rows = random.Next(1, 40), cols = random.Next(1, 60);
            double fraction = random.NextDouble();
            Seeding.Set(trial);
            var weight = randn(rows, cols);
            using var masks = Prune.Magnitude(LinearWith(weight), SparsityDistribution.Uniform(fraction));
            var mask = masks["weight"];
            long n = rows * cols, pruned = (long)Math.Round(fraction * n, MidpointRounding.ToEven);
            Assert.Equal(n - pruned, (long)mask.sum().item<float>());
            var magnitude = weight.abs();
            if (pruned > 0 && pruned < n)
                Assert.True(magnitude.masked_select(mask.eq(1)).min().item<float>() >= magnitude.masked_select(mask.eq(0)).max().item<float>(),
                    $"trial {trial}: a pruned weight is larger than a kept one");
        }
    }

    [Fact]
    public void Ties_are_broken_by_position()
    {
        using var masks = Prune.Magnitude(LinearWith(ones(2, 4)), SparsityDistribution.Uniform(0.5));
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 1, 1 }, masks["weight"].flatten().data<float>().ToArray());
    }

    [Fact]
    public void Fraction_rounds_half_to_even_like_torch_prune()
    {
        // 0.5 * 5 = 2.5 weights rounds to 2 (Python's round), so 3 are kept.
        using var masks = Prune.Magnitude(LinearWith(randn(1, 5)), SparsityDistribution.Uniform(0.5));
        Assert.Equal(3f, masks["weight"].sum().item<float>());
    }

    [Fact]
    public void Global_scope_uses_one_threshold_across_layers()
    {
        var model = Zoo.LeNet300_100(seed: 4, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Global(0.9));
        var weights = model.named_parameters().Where(p => p.name.EndsWith("weight")).ToList();
        var kept = cat(weights.Select(w => w.parameter.abs().masked_select(masks[w.name].eq(1))).ToList());
        var pruned = cat(weights.Select(w => w.parameter.abs().masked_select(masks[w.name].eq(0))).ToList());
        Assert.True(kept.min().item<float>() >= pruned.max().item<float>());
        Assert.Equal(Math.Round(0.9 * 266_200), masks.Total - masks.Kept);
        // One threshold gives the layers different sparsities (fc1 has the smallest Glorot scale).
        Assert.True(masks.Layers[0].Sparsity > masks.Layers[2].Sparsity);
    }

    [Fact]
    public void Random_masks_have_exact_counts_and_depend_only_on_the_seed()
    {
        var a = Zoo.LeNet300_100(seed: 1, device: CPU);
        var b = Zoo.LeNet300_100(seed: 2, device: CPU);
        using var m1 = Prune.Random(a, SparsityDistribution.Uniform(0.8), seed: 5);
        using var m2 = Prune.Random(b, SparsityDistribution.Uniform(0.8), seed: 5);
        using var m3 = Prune.Random(a, SparsityDistribution.Uniform(0.8), seed: 6);
        foreach (var layer in m1.Layers) Assert.Equal(Math.Round(0.8 * layer.Total, MidpointRounding.ToEven), layer.Pruned);
        Assert.All(m1.Names, n => Assert.True(m1[n].allclose(m2[n], 0, 0)));
        Assert.False(m1["fc1.weight"].allclose(m3["fc1.weight"]));
    }

    [Fact]
    public void Iterative_pruning_prunes_a_fraction_of_what_remains_and_keeps_pruned_weights_pruned()
    {
        var model = Zoo.LeNet300_100(seed: 3, device: CPU);
        using var first = Prune.ByAmount(model, 0.2, PruningCriterion.Magnitude);
        using (no_grad()) model.named_parameters().First(p => p.name == "fc1.weight").parameter.add_(randn(300, 784) * 0.5);
        using var second = Prune.ByAmount(model, 0.2, PruningCriterion.Magnitude, first);
        long n = 784 * 300, keptAfterFirst = n - (long)Math.Round(0.2 * n);
        Assert.Equal(keptAfterFirst - (long)Math.Round(0.2 * keptAfterFirst), second.Layers[0].Kept);
        // Every weight pruned in round one is still pruned in round two, even though the weights moved.
        Assert.Equal(0f, (second["fc1.weight"] * (1 - first["fc1.weight"])).sum().item<float>());

        using var ofTotal = Prune.ByAmount(model, 0.5, PruningCriterion.Magnitude, first, relativeTo: RelativeTo.Total);
        Assert.Equal(n - (long)Math.Round(0.5 * n), ofTotal.Layers[0].Kept);
    }

    [Fact]
    public void Per_layer_amounts_prune_the_output_layer_at_half_rate()
    {
        var model = Zoo.LeNet300_100(seed: 3, device: CPU);
        using var masks = Prune.ByAmount(model, 0.2, PruningCriterion.Magnitude, amountForLayer: n => n == "fc3.weight" ? 0.1 : null);
        Assert.Equal(0.2, masks.Layers[1].Sparsity, 3);
        Assert.Equal(100, masks.Layers[2].Pruned);
    }

    [Fact]
    public void Invalid_amounts_get_clear_errors()
    {
        var model = LinearWith(randn(2, 3));
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => Prune.ByAmount(model, -0.1, PruningCriterion.Magnitude)).Message);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => Prune.ByAmount(model, 1.5, PruningCriterion.Magnitude)).Message);
        Assert.Contains("only 6 are available",
            Assert.Throws<ArgumentOutOfRangeException>(() => Prune.ByAmount(model, Amount.OfCount(7), PruningCriterion.Magnitude)).Message);
        Assert.Contains("got 1.5", Assert.Throws<ArgumentOutOfRangeException>(() => SparsityDistribution.Uniform(1.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Amount.OfCount(-1));
    }

    [Fact]
    public void Absolute_count_prunes_that_many()
    {
        using var masks = Prune.ByAmount(LinearWith(randn(4, 5)), Amount.OfCount(7), PruningCriterion.Magnitude);
        Assert.Equal(13f, masks["weight"].sum().item<float>());
    }

    [Fact]
    public void Default_prunable_parameters_are_layer_weights_not_biases()
    {
        var model = Zoo.LeNet5(device: CPU);
        Assert.Equal(new[] { "conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight" }, Prunable.Default.Select(model).Select(p => p.Name));
        Assert.Equal(new[] { "conv1.weight", "conv2.weight", "fc1.weight" }, Prunable.Default.Except("fc2.weight").Select(model).Select(p => p.Name));
        Assert.Throws<ArgumentException>(() => { Prunable.Default.Except("nope.weight").Select(model); });
    }

    [Theory]
    [InlineData("magnitude")]
    [InlineData("random")]
    [InlineData("by amount")]
    [InlineData("by amount, global, from masks")]
    public void Pruning_leaves_no_temporary_tensor_to_the_finalizer(string how)
    {
        // A temporary outside every dispose scope is freed by the finalizer thread, which can run while libtorch still
        // reads it (CI once failed in SparseLinear's constructor: "Could not run 'aten::copy_'" on a freed tensor).
        var model = Zoo.LeNet5(seed: 1, device: CPU);
        using var current = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
        DisposeScopeManager.Statistics.Reset();
        using var masks = how switch
        {
            "magnitude" => Prune.Magnitude(model, SparsityDistribution.Uniform(0.8)),
            "random" => Prune.Random(model, SparsityDistribution.Uniform(0.8), seed: 3),
            "by amount" => Prune.ByAmount(model, Amount.OfFraction(0.2), PruningCriterion.Magnitude),
            _ => Prune.ByAmount(model, Amount.OfFraction(0.2), PruningCriterion.Magnitude, current, global: true),
        };
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }
}
