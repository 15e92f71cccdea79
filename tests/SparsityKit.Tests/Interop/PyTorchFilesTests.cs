using System.Collections;
using SparsityKit.Interop;
using SparsityKit.Models;
using SparsityKit.Tests.Inference;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Interop;

public class PyTorchFilesTests
{
    [Theory]
    [InlineData("lenet300-100", "model.pt")]
    [InlineData("lenet5", "model.pt")]
    [InlineData("lenet300-100", "model.safetensors")]
    public void A_plain_export_imports_back_bit_identical(string name, string file)
    {
        var model = SparseInferenceTests.PrunedModel(name, 0.9, out var masks);
        using var _ = masks;
        var path = Path.Combine(TestFiles.TemporaryDirectory(), file);
        if (file.EndsWith(".safetensors")) PyTorchFiles.SaveSafetensors(path, model, masks);
        else PyTorchFiles.SaveStateDict(path, model, masks);
        var loaded = Zoo.Create(name, seed: 99, device: CPU);
        Assert.Null(PyTorchFiles.LoadInto(loaded, path));
        var actual = loaded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (n, p) in model.named_parameters())
            Assert.True(SparseCheckpointTests.BitIdentical(p, actual[n]), $"{n} differs after the round trip");
    }

    // Kernels stored channels-last (TrainConfig.ChannelsLast) must be written by value, not in memory order.
    [Theory]
    [InlineData("model.pt")]
    [InlineData("model.pruned.pt")]
    [InlineData("model.safetensors")]
    [InlineData("model.sksp")]
    public void A_channels_last_model_exports_its_values_not_its_memory_order(string file)
    {
        using var scope = NewDisposeScope();
        var model = SparseInferenceTests.PrunedModel("lenet5", 0.5, out var masks);
        using var _ = masks;
        SparsityKit.Training.ChannelsLast.Apply(model);
        Assert.Contains(model.parameters(), p => p.dim() == 4 && !p.is_contiguous());
        var path = Path.Combine(TestFiles.TemporaryDirectory(), file);
        switch (file)
        {
            case "model.safetensors": PyTorchFiles.SaveSafetensors(path, model, masks); break;
            case "model.pruned.pt": PyTorchFiles.SavePrunedStateDict(path, model, masks); break;
            case "model.sksp": SparsityKit.Checkpoints.SparseCheckpoint.Save(path, model, masks); break;
            default: PyTorchFiles.SaveStateDict(path, model, masks); break;
        }
        var loaded = Zoo.Create("lenet5", seed: 99, device: CPU);
        if (file.EndsWith(".sksp")) SparsityKit.Checkpoints.SparseCheckpoint.LoadInto(loaded, path).Dispose();
        else PyTorchFiles.LoadInto(loaded, path)?.Dispose();
        var actual = loaded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (n, p) in model.named_parameters())
            Assert.True(SparseCheckpointTests.BitIdentical(p, actual[n]), $"{n} differs after the round trip");
    }

    [Fact]
    public void The_prune_form_holds_orig_and_mask_whose_product_is_the_plain_weight_and_imports_with_its_masks()
    {
        var model = SparseInferenceTests.PrunedModel("lenet300-100", 0.8, out var masks);
        using var _ = masks;
        var directory = TestFiles.TemporaryDirectory();
        string plain = Path.Combine(directory, "model.pt"), pruned = Path.Combine(directory, "model.pruned.pt");
        PyTorchFiles.SaveStateDict(plain, model, masks);
        PyTorchFiles.SavePrunedStateDict(pruned, model, masks);
        // Read back with PyBridge's own unpickler, as torch.load would see the files.
        var plainDict = PyTorchUnpickler.UnpickleStateDict(plain);
        var prunedDict = PyTorchUnpickler.UnpickleStateDict(pruned);
        Assert.Equal(["fc1.bias", "fc1.weight_mask", "fc1.weight_orig", "fc2.bias", "fc2.weight_mask", "fc2.weight_orig", "fc3.bias", "fc3.weight_mask", "fc3.weight_orig"],
            prunedDict.Keys.Cast<string>().Order());
        foreach (var layer in new[] { "fc1", "fc2", "fc3" })
        {
            var product = ((Tensor)prunedDict[$"{layer}.weight_orig"]!).mul((Tensor)prunedDict[$"{layer}.weight_mask"]!);
            Assert.True(SparseCheckpointTests.BitIdentical(product, (Tensor)plainDict[$"{layer}.weight"]!), $"{layer}: orig x mask differs from the plain weight");
            Assert.True(SparseCheckpointTests.BitIdentical((Tensor)prunedDict[$"{layer}.weight_mask"]!, masks[$"{layer}.weight"]));
        }
        var loaded = Zoo.LeNet300_100(seed: 99, device: CPU);
        using var loadedMasks = PyTorchFiles.LoadInto(loaded, pruned);
        Assert.NotNull(loadedMasks);
        Assert.Equal(masks.Names, loadedMasks!.Names);
        Assert.All(masks.Names, n => Assert.True(SparseCheckpointTests.BitIdentical(masks[n], loadedMasks[n])));
        var actual = loaded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (n, p) in model.named_parameters()) Assert.True(SparseCheckpointTests.BitIdentical(p, actual[n]), n);
    }

    [Fact]
    public void A_state_dict_of_another_architecture_is_refused_with_the_names_that_differ()
    {
        var model = SparseInferenceTests.PrunedModel("lenet5", 0.5, out var masks);
        using var _ = masks;
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "lenet5.pt");
        PyTorchFiles.SaveStateDict(path, model, masks);
        var error = Assert.Throws<ArgumentException>(() => PyTorchFiles.LoadInto(Zoo.LeNet300_100(device: CPU), path));
        Assert.Contains("conv1.weight", error.Message);
    }
}
