using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

/// <summary>
/// A record names the processor it trained on: results are bit-identical at the same seed and thread count on the same
/// kind of processor (oneDNN and oneMKL choose their kernels by it), so a difference across machines can be told apart
/// from a defect. Records written before the field existed keep their bytes and checksums.
/// </summary>
public class MachineTests
{
    [Fact]
    public void A_record_names_the_processor_and_the_device_it_trained_on()
    {
        using var data = Datasets.Synthetic(trainCount: 40, testCount: 20, seed: 1, device: CPU);
        var run = Trainer.Train(Zoo.LeNet300_100(1, device: CPU), data, new TrainConfig { Steps = 2, BatchSize = 10, EvaluateEvery = 0 });
        var record = Records.From(run, "machine", "dense", 1, data.ImageShape);
        Assert.Equal(Machine.Describe(CPU), record.Machine);
        Assert.EndsWith(", cpu", record.Machine);
        if (OperatingSystem.IsLinux() && File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name")) is { } line)
            Assert.StartsWith(line[(line.IndexOf(':') + 1)..].Trim(), record.Machine);
    }

    [Fact]
    public void A_record_without_a_machine_is_written_as_before_and_loads_with_its_checksum()
    {
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var old = new RunRecord { Experiment = "x", Kind = "dense", Seed = 1, Sparsity = 0, TestAccuracy = 0.5, TestLoss = 1, Steps = 1 };
        store.Save("x/run", old);
        Assert.DoesNotContain("Machine", File.ReadAllText(Path.Combine(store.Directory, "x/run.json")));
        Assert.True(store.TryLoad("x/run", out var loaded));
        Assert.Null(loaded.Machine);
    }
}
