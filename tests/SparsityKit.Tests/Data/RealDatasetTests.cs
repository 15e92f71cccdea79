using SparsityKit.Data;
using TorchSharp;

namespace SparsityKit.Tests.Data;

/// <summary>The real data sets, fetched by the test command's set-up into data/.</summary>
public class RealDatasetTests
{
    [Theory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    public void Loads_the_official_split_normalised(string name)
    {
        using var data = name == "mnist" ? Datasets.Mnist(torch.CPU) : Datasets.FashionMnist(torch.CPU);
        Assert.Equal(60_000, data.TrainCount);
        Assert.Equal(10_000, data.TestCount);
        Assert.Equal(new long[] { 1, 28, 28 }, data.ImageShape);
        Assert.Equal(0L, data.TrainLabels.min().item<long>());
        Assert.Equal(9L, data.TrainLabels.max().item<long>());
        // Normalised with the training set's own statistics: mean about 0, standard deviation about 1.
        Assert.InRange(data.TrainImages.mean().item<float>(), -0.01, 0.01);
        Assert.InRange(data.TrainImages.std().item<float>(), 0.99, 1.01);
    }

    [Fact]
    public void Validation_split_is_seeded_and_disjoint_in_size()
    {
        using var data = Datasets.Mnist(torch.CPU);
        using var a = data.WithValidation(5_000, seed: 3);
        using var b = data.WithValidation(5_000, seed: 3);
        Assert.Equal(55_000, a.TrainCount);
        Assert.Equal(5_000, a.ValidationImages!.shape[0]);
        Assert.True(a.ValidationLabels!.equal(b.ValidationLabels!).all().item<bool>());
        Assert.Equal(data.TrainLabels.sum().item<long>(), a.TrainLabels.sum().item<long>() + a.ValidationLabels.sum().item<long>());
    }
}
