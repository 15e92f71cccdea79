using SparsityKit.Checkpoints;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Tests.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Interop;

public class SparseCheckpointTests
{
    [Theory]
    [InlineData("lenet300-100", 0.9)]    // bitmaps
    [InlineData("lenet300-100", 0.99)]   // indices
    [InlineData("lenet5", 0.5)]
    public void A_sparse_checkpoint_loads_back_bit_identical(string name, double sparsity)
    {
        var model = SparseInferenceTests.PrunedModel(name, sparsity, out var masks);
        using var _ = masks;
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "model.sksp");
        SparseCheckpoint.Save(path, model, masks);
        var loaded = Zoo.Create(name, seed: 99, device: CPU);
        using var loadedMasks = SparseCheckpoint.LoadInto(loaded, path);
        var expected = model.named_parameters().ToList();
        var actual = loaded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (n, p) in expected)
            Assert.True(BitIdentical(p, actual[n]), $"{n} differs after the round trip");
        Assert.Equal(masks.Names, loadedMasks.Names);
        Assert.All(masks.Names, n => Assert.True(BitIdentical(masks[n], loadedMasks[n]), $"mask {n} differs"));
    }

    [Fact]
    public void Bit_identity_tells_a_changed_last_bit()
    {
        using var a = tensor(new[] { 1.5f, -0f, 3f });
        using var b = tensor(new[] { 1.5f, 0f, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(3f) + 1) });
        Assert.True(BitIdentical(a, a.clone()));
        Assert.False(BitIdentical(a, b));
    }

    [Fact]
    public void A_sparse_checkpoint_is_smaller_than_the_dense_weights_and_float16_halves_the_values()
    {
        var model = SparseInferenceTests.PrunedModel("lenet300-100", 0.95, out var masks);
        using var _ = masks;
        var directory = TestFiles.TemporaryDirectory();
        string f32 = Path.Combine(directory, "f32.sksp"), f16 = Path.Combine(directory, "f16.sksp");
        SparseCheckpoint.Save(f32, model, masks);
        SparseCheckpoint.Save(f16, model, masks, ValuePrecision.Float16);
        long denseBytes = model.parameters().Sum(p => p.numel()) * sizeof(float);
        Assert.True(new FileInfo(f32).Length < denseBytes / 5, $"{new FileInfo(f32).Length} bytes against {denseBytes} dense");
        Assert.True(new FileInfo(f16).Length < new FileInfo(f32).Length);
        // float16 values load back as the float16-rounded weights.
        var loaded = Zoo.LeNet300_100(seed: 5, device: CPU);
        using var loadedMasks = SparseCheckpoint.LoadInto(loaded, f16);
        using var rounded = model.named_parameters().First().parameter.to(ScalarType.Float16).to(ScalarType.Float32);
        Assert.True(BitIdentical(rounded, loaded.named_parameters().First().parameter));
    }

    [Fact]
    public void Loading_into_another_architecture_names_the_mismatch()
    {
        var model = SparseInferenceTests.PrunedModel("lenet300-100", 0.9, out var masks);
        using var _ = masks;
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "model.sksp");
        SparseCheckpoint.Save(path, model, masks);
        var error = Assert.Throws<ArgumentException>(() => SparseCheckpoint.LoadInto(Zoo.LeNet5(device: CPU), path));
        Assert.Contains("conv1.weight", error.Message);
    }

    /// <summary>Same shape and same bits, with -0.0 counted as 0.0 (masking leaves -0.0 where a negative weight was pruned).</summary>
    [Fact]
    public void A_truncated_checkpoint_is_refused()
    {
        var model = SparseInferenceTests.PrunedModel("lenet300-100", 0.9, out var masks);
        using var _ = masks;
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "model.sksp");
        SparseCheckpoint.Save(path, model, masks);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.ThrowsAny<Exception>(() => SparseCheckpoint.Load(path));
    }

    internal static bool BitIdentical(Tensor a, Tensor b)
    {
        using var x = a.detach().add(0f).contiguous();
        using var y = b.detach().add(0f).contiguous();
        return a.shape.SequenceEqual(b.shape) && x.bytes.SequenceEqual(y.bytes);
    }
}
