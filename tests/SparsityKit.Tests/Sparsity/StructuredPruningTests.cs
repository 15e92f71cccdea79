using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Sparsity;

public class StructuredPruningTests
{
    private static nn.Module<Tensor, Tensor> WithRandomBiases(nn.Module<Tensor, Tensor> model)
    {
        // Zoo models start with zero biases; a removed unit with a non-zero bias still outputs act(b), which compaction must account for.
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith("bias"))) p.copy_(randn_like(p));
        return model;
    }

    public static TheoryData<string, double, UnitNorm> Models => new()
    {
        { "lenet300-100", 0.9, UnitNorm.L1 }, { "lenet300-100", 0.5, UnitNorm.L2 }, { "lenet5", 0.8, UnitNorm.L1 }, { "lenet5", 0.6, UnitNorm.L2 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Compacted_model_gives_the_masked_outputs_with_fewer_parameters(string zooName, double sparsity, UnitNorm norm)
    {
        using var single = new SingleThread();
        Seeding.Set(5);
        var model = WithRandomBiases(Zoo.Create(zooName, seed: 1, device: CPU));
        using var masks = StructuredMasks.Compute(model, sparsity, norm);
        Assert.Equal(sparsity, masks.Sparsity, 2);
        masks.ApplyTo(model);
        var compact = Compaction.Compact(model, masks);
        // Compared in double precision: on this project's VM libtorch's float32 CPU convolution with many input channels
        // is off by up to ~1 against float64 (a platform fault, measured while writing this test), which would hide the check.
        model.to(ScalarType.Float64);
        compact.to(ScalarType.Float64);
        var input = randn(16, 1, 28, 28, dtype: ScalarType.Float64);
        using (no_grad())
        {
            var expected = model.call(input);
            var actual = compact.call(input);
            Assert.Equal(expected.shape, actual.shape);
            double difference = expected.sub(actual).abs().max().item<double>();
            Assert.True(difference <= 1e-5 * Math.Max(1, expected.abs().max().item<double>()), $"largest difference {difference}");
        }
        long before = Compaction.ParameterCount(model), after = Compaction.ParameterCount(compact);
        Assert.True(after < before * (1 - sparsity) + 2_000, $"{after} parameters left of {before}");
    }

    [Fact]
    public void Structured_masks_remove_whole_units_and_the_inputs_they_fed()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = StructuredMasks.Compute(model, 0.9);
        var fc1 = masks["fc1.weight"];
        var rowKept = fc1.sum(1);
        Assert.True(rowKept.eq(0).logical_or(rowKept.eq(784)).all().item<bool>());      // rows are all or nothing
        var columnsOfFc2 = masks["fc2.weight"].sum(dim: 0);   // sum(0) would bind to sum(ScalarType): C# converts a literal 0 to any enum
        var mismatched = columnsOfFc2.eq(0).logical_xor(rowKept.eq(0)).sum().item<long>();
        Assert.True(mismatched == 0, $"{mismatched} of 300 neurons: removed in fc1 but not cut from fc2, or the reverse " +
            $"({rowKept.eq(0).sum().item<long>()} removed, {columnsOfFc2.eq(0).sum().item<long>()} cut)");      // a removed neuron's output is cut
        Assert.Equal(10 * 100, masks["fc3.weight"].numel());
        Assert.True(masks["fc3.weight"].sum(1).gt(0).all().item<bool>());                // outputs are never removed
    }

    [Fact]
    public void Units_with_the_smallest_norm_go_first_and_stay_gone()
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 50, seed: 2, device: CPU);
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var norms = model.named_parameters().First(p => p.name == "fc1.weight").parameter.detach().abs().sum(1);
        using var first = StructuredMasks.Compute(model, 0.5);
        var removed = first["fc1.weight"].sum(1).eq(0);
        Assert.True(norms.masked_select(removed).max().item<float>() <= norms.masked_select(removed.logical_not()).min().item<float>());
        // A gradual schedule (many events, removed units staying removed) still leaves every hidden layer a like share of
        // its units: one layer must not be starved to reach the target.
        var method = new StructuredPruning(0.9, PruningSchedule.Gradual(2, 46, 2));
        Trainer.Train(model, data, new TrainConfig { Steps = 50, BatchSize = 20, EvaluateEvery = 0 }, method);
        Assert.Equal(0.9, method.Masks!.Sparsity, 2);
        double fc1Units = method.Masks["fc1.weight"].sum(1).gt(0).sum().item<long>() / 300.0;
        double fc2Units = method.Masks["fc2.weight"].sum(1).gt(0).sum().item<long>() / 100.0;
        Assert.InRange(fc2Units / fc1Units, 0.7, 1.4);
    }

    [Fact]
    public void Any_unit_score_removes_its_lowest_scoring_units()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        // A score unrelated to the weights: a fixed random order per layer, so the norms cannot be what decides.
        using var generator = Seeding.Generator(7);
        var order = new[] { ("fc1.weight", 300), ("fc2.weight", 100), ("fc3.weight", 10) }
            .ToDictionary(l => l.Item1, l => randperm(l.Item2, generator: generator).to(ScalarType.Float32));
        var criterion = UnitCriterion.Custom("fixed random order", (layer, _) => order[layer]);
        using var masks = StructuredMasks.Compute(model, 0.7, criterion);
        var removed = masks["fc1.weight"].sum(1).eq(0);
        Assert.True(removed.any().item<bool>());
        Assert.True(order["fc1.weight"].masked_select(removed).max().item<float>() < order["fc1.weight"].masked_select(removed.logical_not()).min().item<float>());
        Assert.Equal("structured (fixed random order)", new StructuredPruning(0.7, PruningSchedule.OneShot(0), criterion).Name);
    }

    [Fact]
    public void A_unit_score_summed_from_magnitudes_is_the_l1_norm()
    {
        var model = Zoo.LeNet300_100(seed: 3, device: CPU);
        using var byL1 = StructuredMasks.Compute(model, 0.8, UnitCriterion.L1);
        using var bySum = StructuredMasks.Compute(model, 0.8, UnitCriterion.SumOf(PruningCriterion.Magnitude));
        foreach (var (name, mask) in byL1.Entries) Assert.True(mask.allclose(bySum[name], 0, 0), name);
    }

    [Fact]
    public void A_unit_score_of_the_wrong_shape_is_refused_with_the_layer_and_the_shape_it_needs()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var wrong = UnitCriterion.Custom("per weight", (_, weight) => weight.abs());
        var error = Assert.Throws<ArgumentException>(() => StructuredMasks.Compute(model, 0.5, wrong));
        Assert.Contains("fc1.weight", error.Message);
        Assert.Contains("shape [300]", error.Message);
    }
}
