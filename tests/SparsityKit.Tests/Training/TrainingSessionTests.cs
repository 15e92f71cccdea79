using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Training;

public class TrainingSessionTests
{
    private static readonly TrainConfig Config = new() { Steps = 40, BatchSize = 20, EvaluateEvery = 0, ReportEvery = 40, Optimizer = new Adam(1e-3) };

    [Fact]
    public void Two_sessions_stepped_in_lockstep_end_where_one_training_run_ends()
    {
        using var data = Datasets.Synthetic(trainCount: 400, testCount: 100, seed: 1, device: CPU);
        var reference = Trainer.Train(Zoo.LeNet300_100(seed: 3, device: CPU), data, Config);
        var models = new[] { Zoo.LeNet300_100(seed: 3, device: CPU), Zoo.LeNet300_100(seed: 4, device: CPU) };
        using var first = new TrainingSession(models[0], data, Config);
        using var second = new TrainingSession(models[1], data, Config);
        first.Start();
        second.Start();
        for (int s = 0; s < Config.Steps; s++) { first.Step(); second.Step(); }

        Assert.Equal(Config.Steps, first.StepsDone);
        Assert.Equal(reference.History[^1].TrainLoss, first.TakeMeanLoss(), 6);   // the other session did not disturb it
        Assert.True(double.IsNaN(first.TakeMeanLoss()), "the loss is reset after it is read");
        foreach (var ((name, a), (_, b)) in reference.Model.named_parameters().Zip(models[0].named_parameters()))
            Assert.True(a.allclose(b, 0, 0), $"{name} differs from Trainer.Train's");
    }
}
