namespace SparsityKit.Training;

/// <summary>Where a training run stands, reported every <see cref="TrainConfig.ReportEvery"/> steps and at each evaluation.</summary>
/// <param name="TrainLoss">Mean training loss since the previous report.</param>
/// <param name="TestAccuracy">The latest test accuracy, if any evaluation has run.</param>
public sealed record TrainingProgress(string RunName, long Step, long TotalSteps, double TrainLoss, double? TestAccuracy,
    TimeSpan Elapsed)
{
    public double Fraction => TotalSteps == 0 ? 1 : (double)Step / TotalSteps;

    public double StepsPerSecond => Elapsed.TotalSeconds > 0 ? Step / Elapsed.TotalSeconds : 0;

    public override string ToString() =>
        $"{RunName} step {Step}/{TotalSteps} ({Fraction:P0}) loss {TrainLoss:F4}" +
        (TestAccuracy is { } a ? $" test acc {a:P2}" : "") + $" {StepsPerSecond:F0} steps/s";
}
