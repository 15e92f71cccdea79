using SparsityKit.Models;
using SparsityKit.Sparsity;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Sparsity;

/// <summary>Masks saved one bit per weight: 32 times smaller than float32, loaded back exactly.</summary>
public class PackedMaskFileTests
{
    [Fact]
    public void Masks_saved_as_bits_load_back_equal_at_a_32nd_of_the_float_size()
    {
        var model = Zoo.Create("lenet300-100", seed: 3, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.8));
        var folder = TestFiles.TemporaryDirectory();
        string floats = Path.Combine(folder, "floats.sktf"), bits = Path.Combine(folder, "bits.sktf");
        masks.Save(floats);
        masks.Save(bits, TensorEncoding.Bits);
        using var loaded = MaskSet.Load(bits);
        Assert.Equal(masks.Names, loaded.Names);
        foreach (var name in masks.Names) Assert.True(Same(masks[name], loaded[name]), $"{name} differs after the round trip");
        long weights = masks.Layers.Sum(l => l.Total);
        Assert.InRange(new FileInfo(bits).Length, weights / 8, weights / 8 + 1_000);
        Assert.True(new FileInfo(floats).Length > 31 * new FileInfo(bits).Length);
    }

    [Fact]
    public void A_version_2_file_of_float32_values_still_loads()
    {
        // What stores written before bit-packed masks hold: version 2 had no encoding byte.
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "v2.masks.sktf");
        using (var body = new MemoryStream())
        {
            using (var writer = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write("SKTF"u8.ToArray()); writer.Write(2); writer.Write("run/r01"); writer.Write(1);
                writer.Write("fc.weight"); writer.Write(2L); writer.Write(2L); writer.Write(3L);
                foreach (var v in new float[] { 1, 0, 0, 1, 1, 0 }) writer.Write(v);
            }
            body.Write(System.Security.Cryptography.SHA256.HashData(body.ToArray()));
            File.WriteAllBytes(path, body.ToArray());
        }
        var loaded = TensorFile.Load(path, expectedLabel: "run/r01");
        Assert.True(Same(tensor(new float[] { 1, 0, 0, 1, 1, 0 }, [2, 3]), loaded["fc.weight"]));
    }

    [Fact]
    public void Odd_sizes_pack_and_unpack_exactly()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "odd.sktf");
        var odd = new Dictionary<string, Tensor>
        {
            ["a"] = tensor(new float[] { 1, 0, 1, 1, 0, 0, 0, 1, 1 }),   // nine values: a partly filled last byte
            ["b"] = zeros(3, 5),
            ["c"] = ones(1),
        };
        TensorFile.Save(path, odd, encoding: TensorEncoding.Bits);
        var back = TensorFile.Load(path);
        foreach (var (name, t) in odd) Assert.True(Same(t, back[name]), name);
    }

    [Fact]
    public void Values_other_than_zero_and_one_are_refused_as_bits_naming_the_tensor()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "weights.sktf");
        var e = Assert.Throws<ArgumentException>(() =>
            TensorFile.Save(path, new Dictionary<string, Tensor> { ["fc1.weight"] = tensor(new float[] { 1, 0.5f }) }, encoding: TensorEncoding.Bits));
        Assert.Contains("fc1.weight", e.Message);
        Assert.Contains("Float32", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_negative_zero_is_not_a_bit()
    {
        // -0.0 would load back as +0.0: not exact, so not packed.
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "signed.sktf");
        Assert.Throws<ArgumentException>(() =>
            TensorFile.Save(path, new Dictionary<string, Tensor> { ["m"] = tensor(new float[] { 1, -0.0f }) }, encoding: TensorEncoding.Bits));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
