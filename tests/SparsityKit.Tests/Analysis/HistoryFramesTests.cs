using Microsoft.Data.Analysis;
using SparsityKit.Analysis;
using SparsityKit.Training;

namespace SparsityKit.Tests.Analysis;

public class HistoryFramesTests
{
    private static string[] Names(DataFrame frame) => frame.Columns.Select(c => c.Name).ToArray();

    [Fact]
    public void A_history_becomes_one_row_per_evaluation()
    {
        var frame = Runs.Dense().History.ToDataFrame();
        Assert.Equal(["Step", "TrainLoss", "TestLoss", "TestAccuracy"], Names(frame));
        Assert.Equal(2, frame.Rows.Count);
        Assert.Equal(200L, frame["Step"][1]);
        Assert.Equal(0.95, frame["TestAccuracy"][1]);
    }

    [Fact]
    public void Validation_columns_appear_only_when_a_row_has_them()
    {
        var frame = new[] { new HistoryRow(1, 1, 1, 0.5), new HistoryRow(2, 1, 1, 0.5, 0.7, 0.6) }.ToDataFrame();
        Assert.Equal(["Step", "TrainLoss", "TestLoss", "TestAccuracy", "ValidationLoss", "ValidationAccuracy"], Names(frame));
        Assert.Null(frame["ValidationLoss"][0]);
        Assert.Equal(0.6, frame["ValidationAccuracy"][1]);
    }

    [Fact]
    public void Several_runs_stack_with_a_run_column()
    {
        var other = Runs.Make("pruned", new HistoryRow(200, 0.4, 0.3, 0.93));
        var frame = new[] { Runs.Dense(), other }.ToDataFrame();
        Assert.Equal("Run", Names(frame)[0]);
        Assert.Equal(["dense", "dense", "pruned"], frame["Run"].Cast<string>());

        var single = Runs.Dense().ToDataFrame();
        Assert.Equal(["Run", "Step", "TrainLoss", "TestLoss", "TestAccuracy"], Names(single));
        Assert.Equal(["dense", "dense"], single["Run"].Cast<string>());
    }
}
