using SparsityKit.Data;
using TorchSharp;

namespace SparsityKit.Tests.Data;

public class BatchSamplerTests
{
    private static long[] Epoch(BatchSampler sampler) =>
        Enumerable.Range(0, (int)sampler.BatchesPerEpoch).SelectMany(_ => sampler.Next().data<long>().ToArray()).ToArray();

    [Fact]
    public void Each_epoch_visits_every_example_once()
    {
        using var sampler = new BatchSampler(100, 10, seed: 1, torch.CPU);
        var first = Epoch(sampler);
        var second = Epoch(sampler);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), first.Order());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), second.Order());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Same_seed_same_order_other_seed_other_order()
    {
        using var a = new BatchSampler(100, 10, seed: 5, torch.CPU);
        using var b = new BatchSampler(100, 10, seed: 5, torch.CPU);
        using var c = new BatchSampler(100, 10, seed: 6, torch.CPU);
        Assert.Equal(Epoch(a), Epoch(b));
        Assert.NotEqual(Epoch(a), Epoch(c));
    }

    [Fact]
    public void Incomplete_last_batch_is_dropped()
    {
        using var sampler = new BatchSampler(25, 10, seed: 0, torch.CPU);
        Assert.Equal(2, sampler.BatchesPerEpoch);
        Assert.Equal(10, sampler.Next().shape[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(5, 10, 0, torch.CPU));
    }

    [Fact]
    public void Synthetic_data_is_deterministic_per_seed()
    {
        using var a = Datasets.Synthetic(seed: 4, device: torch.CPU);
        using var b = Datasets.Synthetic(seed: 4, device: torch.CPU);
        using var c = Datasets.Synthetic(seed: 5, device: torch.CPU);
        Assert.True(a.TrainImages.allclose(b.TrainImages, 0, 0));
        Assert.False(a.TrainImages.allclose(c.TrainImages));
    }
}
