using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace SparsityKit.Tests.Training;

/// <summary>The switch between oneDNN and libtorch's own convolutions, and the check that picks a correct one.</summary>
[Collection("ConvolutionBackend")]   // the switch is process-wide
public class ConvolutionBackendTests(ITestOutputHelper output)
{
    [Fact]
    public void SwitchTurnsOneDnnOffAndOn()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        try
        {
            ConvolutionBackend.OneDnnEnabled = false;
            Assert.False(ConvolutionBackend.OneDnnEnabled);
            ConvolutionBackend.OneDnnEnabled = true;
            Assert.True(ConvolutionBackend.OneDnnEnabled);
        }
        finally { ConvolutionBackend.OneDnnEnabled = before; }
    }

    [Fact]
    public void LibtorchsOwnConvolutionAgreesWithFloat64()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        try
        {
            ConvolutionBackend.OneDnnEnabled = false;
            // LeNet-5's conv2, forward and both gradients: float32 rounding alone gives about 1e-7 here.
            Assert.InRange(ConvolutionBackend.Float32Error(), 0, 1e-5);
        }
        finally { ConvolutionBackend.OneDnnEnabled = before; }
    }

    [Theory]
    [InlineData("lenet5")]     // oneDNN wrong for it on this project's EPYC
    [InlineData("resnet20")]   // oneDNN right for it here, and about six times faster
    public void TrainingSessionLeavesABackendThatComputesItsModelAsLibtorchsOwnKernels(string name)
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        try
        {
            ConvolutionBackend.OneDnnEnabled = true;   // libtorch's default
            using var data = Datasets.Synthetic(trainCount: 40, testCount: 10, imageSize: 28, seed: 1, device: CPU);
            var model = Zoo.Create(name, 0, inputShape: [1, 28, 28], classes: 10);
            using var session = new TrainingSession(model, data, new TrainConfig { Steps = 1, BatchSize = 20, EvaluateEvery = 0, ReportEvery = 1 });
            bool chosen = ConvolutionBackend.OneDnnEnabled;
            var (probe, labels) = data.TrainingProbe(4);
            model.eval();
            using var inSession = model.call(probe);
            ConvolutionBackend.OneDnnEnabled = false;
            using var native = model.call(probe);
            double error = (inSession - native).abs().max().item<float>() / native.abs().max().item<float>();
            output.WriteLine($"{name}: oneDNN {(chosen ? "on" : "off")} in the session; its forward differs from libtorch's own by {error:E2}");
            Assert.True(error <= 1e-4, $"{name}: the session's backend (oneDNN {(chosen ? "on" : "off")}) differs from libtorch's own kernels by {error:E2}");
        }
        finally { ConvolutionBackend.OneDnnEnabled = before; }
    }

    [Fact]
    public void AfterASessionOnOneDnnEndsCodeOutsideSessionsGetsACorrectBackendAgain()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        try
        {
            ConvolutionBackend.OneDnnEnabled = true;
            using var data = Datasets.Synthetic(trainCount: 40, testCount: 10, imageSize: 28, seed: 1, device: CPU);
            using (var session = new TrainingSession(Zoo.Create("resnet20", 0, inputShape: [1, 28, 28], classes: 10), data,
                       new TrainConfig { Steps = 1, BatchSize = 20, EvaluateEvery = 0, ReportEvery = 1 })) { }
            // LeNet-5 outside any session (a notebook's evaluation after training), whose 5x5 convolutions oneDNN gets wrong on this EPYC.
            var lenet = Zoo.LeNet5(seed: 0);
            lenet.eval();
            var (probe, labels) = data.TrainingProbe(4);
            using var after = lenet.call(probe);
            ConvolutionBackend.OneDnnEnabled = false;
            using var native = lenet.call(probe);
            double error = (after - native).abs().max().item<float>() / native.abs().max().item<float>();
            Assert.True(error <= 1e-4, $"LeNet-5 after a ResNet-20 session differs from libtorch's own kernels by {error:E2}");
        }
        finally { ConvolutionBackend.OneDnnEnabled = before; }
    }

    [Fact]
    public void WhenSessionsOnBothBackendsEndCodeOutsideSessionsGetsACorrectBackend()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        var found = typeof(ConvolutionBackend).GetProperty(nameof(ConvolutionBackend.OneDnnFoundCorrect))!;
        var foundBefore = ConvolutionBackend.OneDnnFoundCorrect;
        try
        {
            found.SetValue(null, null);   // as in a fresh process: the process-wide check has not run yet
            var onOneDnn = ConvolutionBackend.Lease(oneDnnCorrect: true);
            var onNative = ConvolutionBackend.Lease(oneDnnCorrect: false);   // turns oneDNN off under the first
            onNative.Dispose();
            onOneDnn.Dispose();   // the last session on oneDNN ends with oneDNN off: the check must not run on libtorch's kernels
            double error = ConvolutionBackend.Float32Error();
            Assert.True(error <= 1e-4, $"outside sessions, LeNet-5's conv2 differs from float64 by {error:E2} (oneDNN {(ConvolutionBackend.OneDnnEnabled ? "on" : "off")})");
        }
        finally
        {
            found.SetValue(null, foundBefore);
            ConvolutionBackend.OneDnnEnabled = before;
        }
    }

    [Fact]
    public void AZooModelBuiltInAFreshProcessComputesCorrectlyOutsideASession()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        var found = typeof(ConvolutionBackend).GetProperty(nameof(ConvolutionBackend.OneDnnFoundCorrect))!;
        var foundBefore = ConvolutionBackend.OneDnnFoundCorrect;
        try
        {
            found.SetValue(null, null);                 // as in a fresh process:
            ConvolutionBackend.OneDnnEnabled = true;    // libtorch's default, and no check has run
            var lenet = Zoo.LeNet5(seed: 0);
            lenet.eval();
            using var probe = randn(4, 1, 28, 28);
            using var built = lenet.call(probe);
            ConvolutionBackend.OneDnnEnabled = false;
            using var native = lenet.call(probe);
            double error = (built - native).abs().max().item<float>() / native.abs().max().item<float>();
            Assert.True(error <= 1e-4, $"LeNet-5's forward right after Zoo built it differs from libtorch's own kernels by {error:E2}");
        }
        finally
        {
            found.SetValue(null, foundBefore);
            ConvolutionBackend.OneDnnEnabled = before;
        }
    }

    [Fact]
    public void AModelWithWide1x1ConvolutionsStaysOnLibtorchsKernelsWithoutACheck()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        try
        {
            ConvolutionBackend.OneDnnEnabled = true;
            // ResNet-50's downsampling shape: oneDNN's backward of it at stride 2 kills the process on this project's EPYC.
            using var model = TorchSharp.torch.nn.Sequential(("down", TorchSharp.torch.nn.Conv2d(8, 1_024, 1, stride: 2)));
            using var probe = randn(2, 8, 4, 4);
            using (ConvolutionBackend.ForModel(model, probe)) Assert.False(ConvolutionBackend.OneDnnEnabled);
        }
        finally { ConvolutionBackend.OneDnnEnabled = before; }
    }

    [Fact]
    public void WhileAModelThatNeedsLibtorchsKernelsTrainsNoSessionTurnsOneDnnOn()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        try
        {
            var native = ConvolutionBackend.Lease(oneDnnCorrect: false);
            Assert.False(ConvolutionBackend.OneDnnEnabled);
            using (ConvolutionBackend.Lease(oneDnnCorrect: true)) Assert.False(ConvolutionBackend.OneDnnEnabled);
            native.Dispose();
            native.Dispose();   // twice is harmless
            using (ConvolutionBackend.Lease(oneDnnCorrect: true)) Assert.True(ConvolutionBackend.OneDnnEnabled);
        }
        finally { ConvolutionBackend.OneDnnEnabled = before; }
    }

    private sealed class EachReport(Action report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report();
    }

    [Fact]
    public void A_sweep_measures_a_method_trained_once_on_the_backend_its_training_ran_on()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        var folder = Path.Combine(Path.GetTempPath(), $"sparsitykit-backend-{Guid.NewGuid():N}");
        try
        {
            using var data = Datasets.Synthetic(trainCount: 40, testCount: 10, imageSize: 28, seed: 1, device: CPU);
            var inTraining = new List<bool>();
            var atMeasurement = new List<bool>();
            // Variational dropout is trained once and measured at each target after its training session has ended.
            var vd = new SparsityKit.Experiments.SweepMethod("variational dropout", (_, _) => new SparsityKit.Methods.VariationalDropout(),
                seed => Zoo.Create("resnet20", seed, layers: new VariationalDropoutLayers(), inputShape: [1, 28, 28], classes: 10))
            {
                AtSparsity = (model, sparsity) =>
                {
                    atMeasurement.Add(ConvolutionBackend.OneDnnEnabled);
                    return SparsityKit.Methods.VariationalDropout.AtSparsity(model, sparsity);
                },
            };
            var records = SparsityKit.Experiments.Sweep.Run("backend", [vd], [0.5, 0.9], [1L],
                seed => Zoo.Create("resnet20", seed, inputShape: [1, 28, 28], classes: 10), data,
                new TrainConfig { Steps = 2, BatchSize = 20, EvaluateEvery = 0, ReportEvery = 1 }, new SparsityKit.Experiments.RunStore(folder),
                new EachReport(() => inTraining.Add(ConvolutionBackend.OneDnnEnabled))).ToList();
            Assert.Equal(2, records.Count);
            Assert.NotEmpty(inTraining);
            Assert.All(inTraining, on => Assert.Equal(inTraining[0], on));
            output.WriteLine($"oneDNN {(inTraining[0] ? "on" : "off")} in training; outside sessions now {(ConvolutionBackend.OneDnnEnabled ? "on" : "off")}");
            Assert.Equal([inTraining[0], inTraining[0]], atMeasurement);
        }
        finally
        {
            ConvolutionBackend.OneDnnEnabled = before;
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
