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

    [Fact]
    public void TrainingSessionLeavesACorrectBackend()
    {
        bool before = ConvolutionBackend.OneDnnEnabled;
        try
        {
            ConvolutionBackend.OneDnnEnabled = true;   // libtorch's default, wrong on some CPUs (this project's EPYC)
            output.WriteLine($"oneDNN float32 error on LeNet-5's conv2: {ConvolutionBackend.Float32Error():E2}");
            using var data = Datasets.Synthetic(trainCount: 40, testCount: 10, imageSize: 28, seed: 1, device: CPU);
            var model = Zoo.LeNet5(seed: 0);
            using var session = new TrainingSession(model, data, new TrainConfig { Steps = 1, BatchSize = 20, EvaluateEvery = 0, ReportEvery = 1 });
            double error = ConvolutionBackend.Float32Error();
            Assert.True(error <= 1e-4, $"float32 convolution differs from float64 by {error:E2} of the largest value after the check (oneDNN {(ConvolutionBackend.OneDnnEnabled ? "on" : "off")})");
            output.WriteLine($"after the check: oneDNN {(ConvolutionBackend.OneDnnEnabled ? "on" : "off")}, error {error:E2}");
            Assert.NotNull(ConvolutionBackend.OneDnnFoundCorrect);
            Assert.Equal(ConvolutionBackend.OneDnnFoundCorrect, ConvolutionBackend.OneDnnEnabled);
        }
        finally { ConvolutionBackend.OneDnnEnabled = before; }
    }
}
