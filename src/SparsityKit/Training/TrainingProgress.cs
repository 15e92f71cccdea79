namespace SparsityKit.Training;

/// <summary>Where a training run stands, reported every <see cref="TrainConfig.ReportEvery"/> steps and at each evaluation.</summary>
/// <param name="TrainLoss">Mean training loss since the previous report.</param>
/// <param name="TestAccuracy">The latest test accuracy, if any evaluation has run.</param>
public sealed record TrainingProgress(string RunName, long Step, long TotalSteps, double TrainLoss, double? TestAccuracy,
    TimeSpan Elapsed)
{
    public double Fraction => TotalSteps == 0 ? 1 : (double)Step / TotalSteps;

    public double StepsPerSecond => Elapsed.TotalSeconds > 0 ? Step / Elapsed.TotalSeconds : 0;

    /// <summary>The rate as text: two decimals below 10 steps/s (a ResNet on one core runs 0.5-3), whole numbers above.</summary>
    public string StepsPerSecondText =>
        StepsPerSecond.ToString(StepsPerSecond < 10 ? "F2" : "F0", System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() =>
        $"{RunName} step {Step}/{TotalSteps} ({Fraction:P0}) loss {TrainLoss:F4}" +
        (TestAccuracy is { } a ? $" test acc {a:P2}" : "") + $" {StepsPerSecondText} steps/s";
}
