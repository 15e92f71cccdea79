using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Training;

/// <summary>Settings out of range, data that does not fit the model, and diverging runs end with errors naming the problem.</summary>
public class BadTrainingInputTests
{
    private static readonly TrainConfig Quick = new() { Steps = 60, BatchSize = 20, EvaluateEvery = 30, ReportEvery = 10, Optimizer = new Adam(1e-3) };

    private static Dataset Synthetic(int imageSize = 28) =>
        Datasets.Synthetic(trainCount: 200, testCount: 50, imageSize: imageSize, seed: 1, device: CPU);

    private static Optimizer Create(OptimizerSettings settings) =>
        settings.Create([("w", new TorchSharp.Modules.Parameter(zeros(3)))]);

    public static TheoryData<string, OptimizerSettings> NotANumber => new()
    {
        { "Momentum", new Sgd(0.1, Momentum: double.NaN) },
        { "WeightDecay", new Sgd(0.1, WeightDecay: double.NaN) },
        { "Beta1", new Adam(1e-3, Beta1: double.NaN) },
        { "Beta2", new Adam(1e-3, Beta2: double.NaN) },
        { "Epsilon", new Adam(1e-3, Epsilon: double.PositiveInfinity) },
        { "WeightDecay", new Adam(1e-3, WeightDecay: double.NaN) },
        { "WeightDecay", new Adam(1e-3, WeightDecay: double.PositiveInfinity) },
    };

    [Theory]
    [MemberData(nameof(NotANumber))]
    public void Optimizer_settings_that_are_not_finite_numbers_are_rejected(string setting, OptimizerSettings settings)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Create(settings));
        Assert.Equal(setting, e.ParamName);
    }

    // Built inside the test: a schedule may already refuse bad settings when it is constructed.
    public static TheoryData<string, Func<LearningRateSchedule>> BadSchedules => new()
    {
        { "FinalFactor", () => new CosineDecay(FinalFactor: -1) },
        { "FinalFactor", () => new CosineDecay(FinalFactor: double.NaN) },
        { "FinalFactor", () => new CosineDecay(FinalFactor: 1.5) },
        { "Gamma", () => new StepDecay([10], Gamma: -1) },
        { "Gamma", () => new StepDecay([10], Gamma: double.NaN) },
        { "Gamma", () => new StepDecay([10], Gamma: 0) },
        { "Milestones", () => new StepDecay([20, 10]) },
        { "Milestones", () => new StepDecay([10, 10]) },
        { "Milestones", () => new StepDecay([-5]) },
        { "WarmupSteps", () => new ConstantRate(WarmupSteps: -1) },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void Learning_rate_schedules_out_of_range_are_rejected_before_training(string setting, Func<LearningRateSchedule> schedule)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (Quick with { Schedule = schedule() }).Validate());
        Assert.Equal(setting, e.ParamName);
    }

    [Fact]
    public void A_schedule_changed_with_with_is_checked_too()
    {
        var schedule = new CosineDecay(FinalFactor: 0.1) with { FinalFactor = -1 };
        Assert.Throws<ArgumentOutOfRangeException>(() => (Quick with { Schedule = schedule }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Quick with { Schedule = new StepDecay([10]) with { Gamma = -1 } }).Validate());
    }

    [Fact]
    public void Adam_at_a_huge_learning_rate_is_detected_as_diverged_by_loss_growth()
    {
        using var single = new SingleThread();
        using var data = Synthetic();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(Zoo.LeNet300_100(seed: 1, device: CPU), data, Quick with { Optimizer = new Adam(1e6) }));
        Assert.Contains("diverged", e.Message);
        Assert.Contains("learning rate", e.Message);
        // The history ends with a row at the step where the divergence was seen.
        Assert.NotEmpty(e.History);
        Assert.Equal(e.Step, e.History[^1].Step);
        Assert.True(e.History[^1].TrainLoss > 100, $"train loss {e.History[^1].TrainLoss}");
    }

    [Fact]
    public void A_large_regularisation_term_is_not_mistaken_for_divergence()
    {
        using var single = new SingleThread();
        using var data = Synthetic();
        // The loss is dominated by a term that grows from 0 to 10,000 (as a KL weight warming up does); the data fit is fine.
        var run = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: CPU), data, Quick, new GrowingPenalty());
        Assert.True(run.Final.TrainLoss > 1_000, $"train loss {run.Final.TrainLoss}");
        Assert.True(run.TestAccuracy > 0.5, $"accuracy {run.TestAccuracy}");
    }

    private sealed class GrowingPenalty : TrainingMethod
    {
        public override Tensor? LossTerm(TrainingContext context) =>
            context.Model.parameters().First().sum() * 0 + 10_000.0 * context.Step / context.Config.Steps;
    }

    private sealed class NaNAfter(long step) : TrainingMethod
    {
        public override Tensor? LossTerm(TrainingContext context) => context.Step >= step ? tensor(float.NaN) : null;
    }

    [Fact]
    public void A_diverged_run_without_evaluations_yet_keeps_a_history_row_at_the_divergence()
    {
        using var data = Synthetic();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(Zoo.LeNet300_100(device: CPU), data, Quick with { EvaluateEvery = 0 }, new NaNAfter(15)));
        Assert.Equal(20, e.Step);
        var row = Assert.Single(e.History);
        Assert.Equal(20, row.Step);
        Assert.True(double.IsNaN(row.TrainLoss));
        Assert.InRange(row.TestAccuracy, 0, 1);
    }

    [Fact]
    public void Images_of_another_size_than_the_model_takes_are_rejected_naming_the_expected_shape()
    {
        using var data = Synthetic(imageSize: 10);
        var lenet5 = Assert.Throws<ArgumentException>(() => Trainer.Train(Zoo.LeNet5(device: CPU), data, Quick));
        Assert.Contains("[1, 28, 28]", lenet5.Message);
        Assert.Contains("[1, 10, 10]", lenet5.Message);
        Assert.Contains(data.Name, lenet5.Message);
        var lenet300 = Assert.Throws<ArgumentException>(() => Trainer.Train(Zoo.LeNet300_100(device: CPU), data, Quick));
        Assert.Contains("784", lenet300.Message);
        Assert.Contains("[1, 10, 10]", lenet300.Message);
    }

    [Fact]
    public void A_forward_pass_on_images_of_another_size_names_the_expected_shape()
    {
        using var images = zeros(2, 1, 10, 10);
        var e = Assert.Throws<ArgumentException>(() => Zoo.LeNet5(device: CPU).call(images));
        Assert.Contains("[1, 28, 28]", e.Message);
        Assert.Contains("[1, 10, 10]", e.Message);
        Assert.Contains("784", Assert.Throws<ArgumentException>(() => Zoo.LeNet300_100(device: CPU).call(images)).Message);
        // A model built for the size takes it.
        Assert.Equal(new long[] { 2, 10 }, new LeNet300_100(DenseLayers.Default, inputFeatures: 100).call(images).shape);
    }

    [Fact]
    public void LeNet5_for_images_too_small_for_its_two_convolutions_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LeNet5(DenseLayers.Default, imageSize: 10));
        Assert.Equal("imageSize", e.ParamName);
        Assert.Equal(new long[] { 1, 10 }, new LeNet5(DenseLayers.Default, imageSize: 16).call(zeros(1, 1, 16, 16)).shape);
    }
}
