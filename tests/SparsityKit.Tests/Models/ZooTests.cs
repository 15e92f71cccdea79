using SparsityKit.Models;
using TorchSharp;

namespace SparsityKit.Tests.Models;

public class ZooTests
{
    private static long Count(torch.nn.Module model, string suffix) =>
        model.named_parameters().Where(p => p.name.EndsWith(suffix)).Sum(p => p.parameter.numel());

    [Fact]
    public void LeNet300_100_has_the_papers_266200_weights()
    {
        var model = Zoo.LeNet300_100(device: torch.CPU);
        Assert.Equal(784 * 300 + 300 * 100 + 100 * 10, Count(model, "weight"));
        Assert.Equal(300 + 100 + 10, Count(model, "bias"));
        Assert.Equal(new long[] { 4, 10 }, model.call(torch.zeros(4, 1, 28, 28)).shape);
    }

    [Fact]
    public void LeNet5_caffe_has_430500_weights()
    {
        var model = Zoo.LeNet5(device: torch.CPU);
        Assert.Equal(20 * 25 + 50 * 20 * 25 + 800 * 500 + 500 * 10, Count(model, "weight"));
        Assert.Equal(new long[] { 3, 10 }, model.call(torch.zeros(3, 1, 28, 28)).shape);
    }

    [Fact]
    public void Same_seed_same_weights_other_seed_other_weights()
    {
        var a = Zoo.Create("LeNet-300-100", seed: 7, device: torch.CPU).named_parameters().ToList();
        var b = Zoo.LeNet300_100(seed: 7, device: torch.CPU).named_parameters().ToList();
        var c = Zoo.LeNet300_100(seed: 8, device: torch.CPU).named_parameters().ToList();
        Assert.All(a.Zip(b), p => Assert.True(p.First.parameter.allclose(p.Second.parameter, 0, 0)));
        Assert.False(a[0].parameter.allclose(c[0].parameter));
    }

    [Fact]
    public void Glorot_normal_init_has_the_expected_spread_and_zero_bias()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: torch.CPU);
        var (_, weight) = model.named_parameters().First(p => p.name == "fc1.weight");
        var (_, bias) = model.named_parameters().First(p => p.name == "fc1.bias");
        double expected = Math.Sqrt(2.0 / (784 + 300));
        Assert.InRange(weight.std().item<float>(), expected * 0.98, expected * 1.02);
        Assert.Equal(0f, bias.abs().max().item<float>());
    }

    [Fact]
    public void Unknown_model_name_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Zoo.Create("resnet9000"));
        Assert.Contains("lenet300-100", e.Message);
    }

    [Theory]
    [InlineData("lenet300-100")]
    [InlineData("lenet5")]
    [InlineData("conv4")]
    [InlineData("resnet20")]
    public void Building_leaves_no_temporary_tensor_to_the_finalizer(string name)
    {
        // A temporary outside every dispose scope is freed by the finalizer thread, which can run while libtorch still
        // reads it (CI once failed in SparseLinear's constructor: "Could not run 'aten::copy_'" on a freed tensor).
        DisposeScopeManager.Statistics.Reset();
        Zoo.Create(name, seed: 1, device: torch.CPU);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }
}
