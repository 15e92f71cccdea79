using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Training;

/// <summary>TrainConfig.ChannelsLast: convolution kernels stored NHWC, the same values, and every method still right on them.</summary>
public class ChannelsLastTests
{
    private static readonly TrainConfig Config = new() { Steps = 24, BatchSize = 16, EvaluateEvery = 0, ReportEvery = 8, CheckpointEvery = 0 };

    private static nn.Module<Tensor, Tensor> ResNet20(long seed, ILayerFactory? layers = null) =>
        Zoo.Create("resnet20", seed, layers, CPU, inputShape: [1, 28, 28], classes: 10);

    [Fact]
    public void Apply_relays_every_kernel_and_only_kernels_keeping_their_values_and_parameter_objects()
    {
        // Every temporary in a scope: one left to the finalizer thread can be freed while libtorch still reads it.
        using var scope = NewDisposeScope();
        var model = ResNet20(1);
        var before = model.named_parameters().ToDictionary(p => p.name, p => (Object: p.parameter, Values: p.parameter.detach().clone()));
        ChannelsLast.Apply(model);
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.Same(before[name].Object, p);
            Assert.True(p.eq(before[name].Values).all().item<bool>(), $"{name} changed its values");
            // A kernel of one input channel (the stem's) or of 1x1 (the shortcuts') is also contiguous to libtorch.
            bool ambiguous = p.dim() == 4 && (p.shape[1] == 1 || p.shape[2] * p.shape[3] == 1);
            if (p.dim() == 4) Assert.True(ChannelsLast.Is(p) && (ambiguous || !p.is_contiguous()), $"{name} is not channels-last");
            else Assert.True(p.is_contiguous(), $"{name} ({p.dim()}-D) was relaid");
        }
        Assert.True(ChannelsLast.Is(ones(2, 3, 4, 5).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)));
        Assert.False(ChannelsLast.Is(ones(2, 3, 4, 5)));
    }

    // libtorch lays a convolution's output out channels-last only if its input or kernel has exactly NHWC strides; a
    // kernel of one input channel kept its NCHW strides (libtorch calls it contiguous either way), so the first layer on
    // grey images ran contiguous and its output was reordered for the next layer (LeNet-5 0.77x PyTorch's speed, now 0.99x).
    [Fact]
    public void A_kernel_of_one_input_channel_is_relaid_as_PyTorch_relays_it_so_its_convolution_runs_channels_last()
    {
        using var scope = NewDisposeScope();
        var model = Zoo.Create("lenet5", 1, device: CPU, inputShape: [1, 28, 28], classes: 10);
        var kernels = model.named_parameters().Where(p => p.parameter.dim() == 4).ToDictionary(p => p.name, p => p.parameter);
        var before = kernels["conv1.weight"].detach().clone();
        ChannelsLast.Apply(model);
        // PyTorch 1.13: nn.Conv2d(1, 20, 5).to(memory_format=torch.channels_last).weight.stride() == (25, 1, 5, 1).
        Assert.Equal([25L, 1, 5, 1], kernels["conv1.weight"].stride());
        Assert.Equal([500L, 1, 100, 20], kernels["conv2.weight"].stride());
        Assert.True(kernels["conv1.weight"].eq(before).all().item<bool>());
        var output = nn.functional.conv2d(randn(2, 1, 28, 28), kernels["conv1.weight"]);
        Assert.True(ChannelsLast.Is(output) && !output.is_contiguous(), $"conv1's output has strides {string.Join(",", output.stride())}");
    }

    [Fact]
    public void The_layout_of_runs_stored_before_the_fix_is_kept_on_request_under_their_old_key()
    {
        using var scope = NewDisposeScope();
        var model = Zoo.Create("lenet5", 1, device: CPU, inputShape: [1, 28, 28], classes: 10);
        ChannelsLast.Apply(model, leaveAmbiguousKernels: true);
        var kernels = model.named_parameters().Where(p => p.parameter.dim() == 4).ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal([25L, 25, 5, 1], kernels["conv1.weight"].stride());
        Assert.Equal([500L, 1, 100, 20], kernels["conv2.weight"].stride());

        string Describe(TrainConfig c) => RunKey.Of(("config", c)).Description;
        var old = Config with { ChannelsLast = true, ChannelsLastLeavesAmbiguousKernels = true };
        var now = Config with { ChannelsLast = true };
        // The key of a run stored before: the setting, and nothing that did not exist then.
        Assert.Equal(Describe(Config), Describe(old).Replace("ChannelsLast=true;", ""));
        Assert.Contains("channelsLastLayout=2", Describe(now));
        Assert.NotEqual(RunKey.Of(("config", old)).Hash, RunKey.Of(("config", now)).Hash);
        Assert.NotEqual(old, now);
        // Set in either order, and read back from a plan's JSON, the same key.
        Assert.Equal(Describe(old), Describe(Config with { ChannelsLastLeavesAmbiguousKernels = true, ChannelsLast = true }));
        foreach (var config in new[] { old, now })
        {
            var json = System.Text.Json.JsonSerializer.Serialize(config, SparsityKit.Clusters.PlanJson.Options);
            Assert.Equal(Describe(config), Describe(System.Text.Json.JsonSerializer.Deserialize<TrainConfig>(json, SparsityKit.Clusters.PlanJson.Options)!));
        }
    }

    // Against float64 on the same weights, channels-last kernels give Conv-4's logits and gradients to float32 precision.
    // Not bit-equal to contiguous kernels (other summation orders): oneDNN's NHWC kernels measured 7e-4 of the largest
    // gradient on this CPU, contiguous ones 6e-7; a layout read wrongly would be off by the order of the values.
    [Fact]
    public void A_forward_and_backward_on_channels_last_kernels_agree_with_float64()
    {
        using var single = new SingleThread();
        using var scope = NewDisposeScope();
        using var data = Datasets.Synthetic(trainCount: 16, testCount: 8, seed: 3, device: CPU);
        List<Tensor> Run(ScalarType type, bool channelsLast)
        {
            var model = Zoo.Create("conv4", 2, device: CPU, inputShape: [1, 28, 28], classes: 10);
            model.to(type);
            if (channelsLast) ChannelsLast.Apply(model);
            model.train();
            var logits = model.call(data.TrainImages.to(type));
            nn.functional.cross_entropy(logits, data.TrainLabels).backward();
            Assert.Equal(channelsLast, model.parameters().Where(p => p.dim() == 4).Skip(1).All(p => ChannelsLast.Is(p.grad!) && !p.grad!.is_contiguous()));
            return [logits.detach().to(float64), .. model.parameters().Select(p => p.grad!.to(float64))];
        }
        var reference = Run(float64, channelsLast: false);
        var relaid = Run(float32, channelsLast: true);
        double logitScale = reference[0].abs().max().item<double>();
        Assert.True((relaid[0] - reference[0]).abs().max().item<double>() <= 1e-5 * logitScale, "the logits differ");
        double largest = reference.Skip(1).Max(g => g.abs().max().item<double>());
        for (int i = 1; i < reference.Count; i++)
        {
            double difference = (relaid[i] - reference[i]).abs().max().item<double>();
            Assert.True(difference <= 2e-3 * largest, $"gradient {i - 1}: differs by {difference} (largest gradient {largest})");
        }
    }

    [Fact]
    public void Training_keeps_the_layout_and_repeats_bit_identically()
    {
        using var single = new SingleThread();
        using var scope = NewDisposeScope();
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var plain = Trainer.Train(ResNet20(2), data, Config);
        var relaid = Trainer.Train(ResNet20(2), data, Config with { ChannelsLast = true });
        var again = Trainer.Train(ResNet20(2), data, Config with { ChannelsLast = true });

        Assert.All(relaid.Model.parameters().Where(p => p.dim() == 4), p => Assert.True(ChannelsLast.Is(p)));
        Assert.All(plain.Model.parameters(), p => Assert.True(p.is_contiguous()));
        Assert.Equal(relaid.History, again.History);
        foreach (var ((name, a), (_, b)) in relaid.Model.named_parameters().Zip(again.Model.named_parameters()))
            Assert.True(a.eq(b).all().item<bool>(), $"{name} differs between two identical channels-last runs");
    }

    [Fact]
    public void An_interrupted_channels_last_run_resumes_from_its_checkpoint_bit_identical()
    {
        using var single = new SingleThread();
        using var scope = NewDisposeScope();
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var config = Config with { ChannelsLast = true, CheckpointEvery = 5, ReportEvery = 4 };
        TrainingRun Run(string? checkpoint, int? stopAt) => Trainer.Train(ResNet20(5), data, config,
            new MagnitudePruning(SparsityKit.Sparsity.SparsityDistribution.Uniform(0.8), SparsityKit.Sparsity.PruningSchedule.Gradual(2, 20, 2)),
            new StopAt(stopAt), checkpoint: checkpoint);
        var straight = Run(null, null);
        var checkpoint = Path.Combine(TestFiles.TemporaryDirectory(), "run.checkpoint.sktf");
        Assert.Throws<OperationCanceledException>(() => Run(checkpoint, 13));
        var resumed = Run(checkpoint, null);
        Assert.Equal(straight.History, resumed.History);
        foreach (var ((name, a), (_, b)) in straight.Model.named_parameters().Zip(resumed.Model.named_parameters()))
        {
            Assert.True(a.eq(b).all().item<bool>(), $"{name} differs after resuming");
            if (b.dim() == 4) Assert.True(ChannelsLast.Is(b), $"{name} lost its layout on resuming");
        }
    }

    private sealed class StopAt(int? step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step) throw new OperationCanceledException("killed by the test");
        }
    }

    [Fact]
    public void A_run_key_names_the_layout_only_when_it_is_set()
    {
        string Describe(TrainConfig c) => RunKey.Of(("config", c)).Description;
        Assert.DoesNotContain("ChannelsLast", Describe(Config));
        Assert.Contains("ChannelsLast=true", Describe(Config with { ChannelsLast = true }));
        Assert.NotEqual(Config, Config with { ChannelsLast = true });
    }

    // Every catalog method on channels-last kernels: it trains, reaches its sparsity, and leaves the kernels channels-last
    // (a method that rebuilt or reshaped a kernel through a contiguous view would fail here or silently undo the layout).
    [Fact]
    public void Every_catalog_method_trains_on_channels_last_kernels_to_its_sparsity()
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);
        var options = new CatalogOptions(Architecture: (seed, layers) => ResNet20(seed, layers), Device: CPU);
        var failures = new List<string>();
        // Structured pruning takes chains of layers only (it names ResNet-20's shortcut in a clear error).
        foreach (var name in MethodCatalog.Names.Where(n => n != "structured"))
        {
            try
            {
                var result = CatalogRun.Train(name, data, Config with { ChannelsLast = true }, sparsity: 0.9, seed: 1, options);
                double expected = name == "dense" ? 0 : name == "nm-2:4" ? 0.5 : 0.9;
                if (Math.Abs(result.Sparsity - expected) > 0.01) failures.Add($"{result} (expected {expected:P0})");
                if (double.IsNaN(result.TestAccuracy)) failures.Add($"{result}: NaN");
                var kernels = result.Model!.named_parameters().Where(p => p.parameter.dim() == 4).ToList();
                if (kernels.Count == 0 || kernels.Any(p => !ChannelsLast.Is(p.parameter)))
                    failures.Add($"{name}: kernels not channels-last after training ({string.Join(", ", kernels.Where(p => !ChannelsLast.Is(p.parameter)).Select(p => p.name))})");
            }
            catch (Exception e) { failures.Add($"{name}: {e.GetType().Name}: {e.Message}"); }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
