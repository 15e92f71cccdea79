// The README's main job (first form): train LeNet-300-100 on MNIST with Frankle and Carbin's settings
// (Adam 1.2e-3, batch 60) and print the test accuracy. --full runs their 50,000 iterations.
// The learning rate decays to zero on a cosine by default: at a constant rate (the paper's, --constant-lr)
// the final test accuracy wanders by about +-0.4 points from one evaluation to the next.
using SparsityKit.Models;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;

namespace SparsityKit.Train.Jobs;

internal static class LeNetJob
{
    public static int Run(TrainRequest request, ProgressStyle style)
    {
        using var data = DataSets.Load(request.Data);
        Console.WriteLine(data);
        var model = Zoo.LeNet300_100(request.Seed, device: data.Device);
        int steps = request.StepsOrDefault;
        var schedule = request.ConstantLearningRate ? LearningRateSchedule.Constant : new CosineDecay();
        var config = Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = schedule, EvaluateEvery = Math.Min(1_000, steps) };
        var run = ProgressDisplay.Run(style, progress => Trainer.Train(model, data, config, progress: progress, name: "LeNet-300-100"));
        Console.WriteLine(run);
        Console.WriteLine($"test accuracy: {run.TestAccuracy:P2}");
        if (request.ExportDirectory is not null)
            ModelExport.Export(request.ExportDirectory, "lenet300-100", model, null, data, request.Data, DataSets.Normalisation(request));
        return 0;
    }
}
