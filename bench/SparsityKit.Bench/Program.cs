// Training throughput of LeNet-300-100 on MNIST (Adam 1.2e-3, batch 60, one thread), dense or with a
// random mask of the given sparsity re-applied after every step: the same work as ../shared/peers/pytorch_lenet.py.
// The clock covers what the peer's covers, the training steps only: building the model, the optimizer and the mask
// happen before it starts, and the test accuracy is measured after it stops (the peer, too, evaluates after its clock).
// usage: SparsityKit.Bench [--steps N] [--sparsity S] [--repeats R] [--batch B]
using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;

if (BenchArguments.Parse(args, new(Steps: 3_000, Sparsity: 0, Repeats: 1)) is not { } options) return 2;
var (steps, sparsity, repeats, batch) = options;
torch.set_num_threads(1);
using var data = Datasets.Mnist(torch.CPU);
var config = Presets.LotteryTicketLeNet300 with { Steps = steps, BatchSize = batch, EvaluateEvery = 0, ReportEvery = steps };
for (int r = 0; r < repeats; r++)
{
    var model = Zoo.LeNet300_100(seed: 0, device: torch.CPU);
    using var session = new TrainingSession(model, data, config, BenchMethods.RandomMask(model, sparsity));
    session.Start();
    var clock = Stopwatch.StartNew();
    while (session.StepsDone < steps) session.Step();
    double loss = session.TakeMeanLoss();
    clock.Stop();
    var (_, accuracy) = Evaluation.Evaluate(model, data.TestImages, data.TestLabels);
    Console.WriteLine($"sparsitykit threads={torch.get_num_threads()} sparsity={sparsity} batch={batch} steps={steps} " +
        $"seconds={clock.Elapsed.TotalSeconds:F2} steps_per_s={steps / clock.Elapsed.TotalSeconds:F1} train_loss={loss:F4} test_acc={accuracy:F4}");
}
return 0;
