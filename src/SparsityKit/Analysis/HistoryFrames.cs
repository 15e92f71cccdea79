using Microsoft.Data.Analysis;
using SparsityKit.Training;

namespace SparsityKit.Analysis;

/// <summary>Training histories as Microsoft.Data.Analysis DataFrames, for filtering, grouping and export (CSV).</summary>
public static class HistoryFrames
{
    /// <summary>
    /// One row per evaluation: Step, TrainLoss, TestLoss, TestAccuracy, and ValidationLoss and ValidationAccuracy
    /// when any row has them. Accuracies are fractions in [0, 1].
    /// </summary>
    public static DataFrame ToDataFrame(this IEnumerable<HistoryRow> history) => Build(history.Select(r => ((string?)null, r)).ToList(), withRun: false);

    /// <summary>The run's history with a leading Run column (the run's name).</summary>
    public static DataFrame ToDataFrame(this TrainingRun run) => new[] { run }.ToDataFrame();

    /// <summary>The histories of several runs stacked, with a leading Run column, to compare runs side by side.</summary>
    public static DataFrame ToDataFrame(this IEnumerable<TrainingRun> runs) =>
        Build(runs.SelectMany(run => run.History.Select(r => ((string?)run.Name, r))).ToList(), withRun: true);

    private static DataFrame Build(IReadOnlyList<(string? Run, HistoryRow Row)> rows, bool withRun)
    {
        var columns = new List<DataFrameColumn>();
        if (withRun) columns.Add(new StringDataFrameColumn("Run", rows.Select(r => r.Run)));
        columns.Add(new Int64DataFrameColumn("Step", rows.Select(r => r.Row.Step)));
        columns.Add(new DoubleDataFrameColumn("TrainLoss", rows.Select(r => r.Row.TrainLoss)));
        columns.Add(new DoubleDataFrameColumn("TestLoss", rows.Select(r => r.Row.TestLoss)));
        columns.Add(new DoubleDataFrameColumn("TestAccuracy", rows.Select(r => r.Row.TestAccuracy)));
        if (rows.Any(r => r.Row.ValidationLoss is not null))
        {
            columns.Add(new DoubleDataFrameColumn("ValidationLoss", rows.Select(r => r.Row.ValidationLoss)));
            columns.Add(new DoubleDataFrameColumn("ValidationAccuracy", rows.Select(r => r.Row.ValidationAccuracy)));
        }
        return new DataFrame(columns);
    }
}
