using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Sparsity;

/// <summary>Masks that do not fit the model, and pruning settings out of range, are rejected with errors naming the problem.</summary>
public class BadMaskInputTests
{
    // LeNet-300-100's masks with fc1's transposed: [784, 300] instead of [300, 784], the same number of elements.
    private static MaskSet WithFc1(nn.Module model, Func<Tensor, Tensor> change) =>
        new(Prune.Random(model, SparsityDistribution.Uniform(0.5), seed: 1).Entries
            .Select(m => new KeyValuePair<string, Tensor>(m.Key, m.Key == "fc1.weight" ? change(m.Value) : m.Value)));

    [Fact]
    public void Pruning_on_top_of_a_transposed_current_mask_is_rejected()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var transposed = WithFc1(model, m => m.t().contiguous());
        var e = Assert.Throws<ArgumentException>(() => Prune.Magnitude(model, SparsityDistribution.Uniform(0.8), transposed));
        Assert.Contains("fc1.weight", e.Message);
        Assert.Contains("[784, 300]", e.Message);
        Assert.Contains("[300, 784]", e.Message);
    }

    [Theory]
    [InlineData("magnitude")]
    [InlineData("random")]
    [InlineData("by amount")]
    [InlineData("by amount, global")]
    public void Pruning_with_a_current_mask_of_the_wrong_size_names_the_layer_and_both_shapes(string how)
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var small = WithFc1(model, m => m.narrow(0, 0, 200).contiguous());
        var e = Assert.Throws<ArgumentException>(() => how switch
        {
            "magnitude" => Prune.Magnitude(model, SparsityDistribution.Uniform(0.8), small),
            "random" => Prune.Random(model, SparsityDistribution.Uniform(0.8), seed: 2, small),
            "by amount" => Prune.ByAmount(model, 0.2, PruningCriterion.Magnitude, small),
            _ => Prune.ByAmount(model, 0.2, PruningCriterion.Magnitude, small, global: true),
        });
        Assert.Contains("fc1.weight", e.Message);
        Assert.Contains("[200, 784]", e.Message);
        Assert.Contains("[300, 784]", e.Message);
        Assert.DoesNotContain("c10::", e.Message);   // not libtorch's own error with C++ frames
    }

    [Fact]
    public void Sparsity_report_rejects_a_mask_of_another_shape()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var transposed = WithFc1(model, m => m.t().contiguous());
        var e = Assert.Throws<ArgumentException>(() => SparsityReport.Of(model, [1, 28, 28], transposed));
        Assert.Contains("fc1.weight", e.Message);
        Assert.Contains("[784, 300]", e.Message);
    }

    [Fact]
    public void Optimizer_rejects_a_mask_of_another_shape()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var optimizer = new Adam(1e-3).Create(model.named_parameters().ToList());
        using var transposed = ones(784, 300);
        var e = Assert.Throws<ArgumentException>(() => optimizer.SetMask("fc1.weight", transposed));
        Assert.Contains("[784, 300]", e.Message);
        Assert.Contains("[300, 784]", e.Message);
    }

    [Fact]
    public void Weight_histogram_rejects_a_transposed_mask()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var transposed = WithFc1(model, m => m.t().contiguous());
        var e = Assert.Throws<ArgumentException>(() => SparsityKit.Analysis.Charts.WeightHistogram(model, transposed));
        Assert.Contains("fc1.weight", e.Message);
    }

    [Fact]
    public void Loading_a_weights_file_as_masks_names_the_path_and_what_a_mask_file_holds()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "weights.sktf");
        using (var snapshot = WeightSnapshot.Capture(model, 0)) snapshot.Save(path);
        var e = Assert.ThrowsAny<Exception>(() => MaskSet.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("0 and 1", e.Message);
        Assert.Contains("WeightSnapshot.Load", e.Message);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Schedules_reject_a_final_sparsity_outside_0_to_1(double final)
    {
        var gradual = (GradualSchedule)PruningSchedule.Gradual(begin: 0, end: 100, every: 10);
        Assert.Contains("finalSparsity", Assert.ThrowsAny<ArgumentException>(() => gradual.TargetAt(0, final)).Message);
        Assert.Contains("finalSparsity", Assert.ThrowsAny<ArgumentException>(() => gradual.TargetAt(5, final)).Message);
        Assert.Contains("finalSparsity", Assert.ThrowsAny<ArgumentException>(() => gradual.SparsityAt(50, final)).Message);
        Assert.Contains("finalSparsity", Assert.ThrowsAny<ArgumentException>(() => PruningSchedule.OneShot(0).TargetAt(0, final)).Message);
    }
}
