using SparsityKit.Experiments;

namespace SparsityKit.Tests.Experiments;

public class RecordSummaryTests
{
    private static RunRecord Record(long seed, long earlyStop, double accuracy) => new()
    {
        Experiment = "x", Kind = "ticket", Seed = seed, Sparsity = 0.5, TestAccuracy = accuracy, TestLoss = 1, Steps = 5_000,
        EarlyStopStep = earlyStop,
    };

    [Fact]
    public void A_table_heading_names_its_unit_and_steps_are_shown_as_steps()
    {
        RunRecord[] records = [Record(1, 1_000, 0.97), Record(2, 1_400, 0.98)];
        var steps = RecordSummary.Table(records, r => r.EarlyStopStep, "early-stopping step", unit: "steps");
        Assert.Contains("(mean ± std over seeds, steps)", steps);
        Assert.Contains("1200 ± 283", steps);
        var accuracy = RecordSummary.Table(records, r => r.TestAccuracy, "test accuracy");
        Assert.Contains("(mean ± std over seeds, %)", accuracy);
        Assert.Contains("97.50 ± 0.71", accuracy);
    }
}
