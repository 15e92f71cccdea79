// Training throughput of LeNet-300-100 on MNIST (Adam 1.2e-3, batch 60, one thread), dense or with a
// random mask of the given sparsity re-applied after every step: the same work as ../shared/peers/pytorch_lenet.py.
// usage: SparsityKit.Bench [--steps N] [--sparsity S] [--repeats R]
using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;

if (BenchArguments.Parse(args, new(Steps: 3_000, Sparsity: 0, Repeats: 1)) is not { } options) return 2;
var (steps, sparsity, repeats) = options;
torch.set_num_threads(1);
using var data = Datasets.Mnist(torch.CPU);
var config = Presets.LotteryTicketLeNet300 with { Steps = steps, EvaluateEvery = 0, ReportEvery = steps };
for (int r = 0; r < repeats; r++)
{
    var model = Zoo.LeNet300_100(seed: 0, device: torch.CPU);
    var method = BenchMethods.RandomMask(model, sparsity);
    var clock = Stopwatch.StartNew();
    var run = Trainer.Train(model, data, config, method);
    clock.Stop();
    Console.WriteLine($"sparsitykit threads={torch.get_num_threads()} sparsity={sparsity} steps={steps} " +
        $"seconds={clock.Elapsed.TotalSeconds:F2} steps_per_s={steps / clock.Elapsed.TotalSeconds:F1} test_acc={run.TestAccuracy:F4}");
}
return 0;
