using System.Globalization;
using Microsoft.Data.Analysis;
using SparsityKit.Experiments;

namespace SparsityKit.Analysis;

/// <summary>Mean and spread over seeds of one group of runs: the same kind of run at the same sparsity level.</summary>
/// <param name="Kind">The runs' <see cref="RunRecord.Kind"/>.</param>
/// <param name="Round">Their pruning round (iterative experiments), else 0.</param>
/// <param name="TargetSparsity">The sparsity asked for, when the runs had one.</param>
/// <param name="Sparsity">The mean achieved sparsity.</param>
/// <param name="SparseFlops">The mean forward FLOPs per example of the sparse model.</param>
/// <param name="Speedup">The mean theoretical speed-up (dense / sparse FLOPs).</param>
/// <param name="Mean">The metric's mean over seeds.</param>
/// <param name="Std">The metric's sample standard deviation over seeds (0 for one seed).</param>
/// <param name="Count">How many runs (seeds).</param>
public sealed record SeedSummary(string Kind, int Round, double? TargetSparsity, double Sparsity, double SparseFlops, double Speedup,
    double Mean, double Std, int Count)
{
    public double WeightsRemaining => 1 - Sparsity;
}

/// <summary>Run records as Microsoft.Data.Analysis DataFrames, and their means and spreads over seeds.</summary>
public static class RunFrames
{
    /// <summary>The default metric: final test accuracy.</summary>
    public static double FinalAccuracy(RunRecord record) => record.TestAccuracy;

    /// <summary>
    /// One row per run: Experiment, Kind, Seed, Round, TargetSparsity, Sparsity, WeightsRemaining, TestAccuracy, TestLoss,
    /// EarlyStopStep, EarlyStopTestAccuracy, Steps, DenseFlops, SparseFlops, Speedup, CompressionRatio, WallSeconds.
    /// </summary>
    public static DataFrame ToDataFrame(this IEnumerable<RunRecord> records)
    {
        var rows = records.ToList();
        return new DataFrame(
            new StringDataFrameColumn("Experiment", rows.Select(r => r.Experiment)),
            new StringDataFrameColumn("Kind", rows.Select(r => r.Kind)),
            new Int64DataFrameColumn("Seed", rows.Select(r => r.Seed)),
            new Int32DataFrameColumn("Round", rows.Select(r => r.Round)),
            new DoubleDataFrameColumn("TargetSparsity", rows.Select(r => r.TargetSparsity)),
            new DoubleDataFrameColumn("Sparsity", rows.Select(r => r.Sparsity)),
            new DoubleDataFrameColumn("WeightsRemaining", rows.Select(r => r.WeightsRemaining)),
            new DoubleDataFrameColumn("TestAccuracy", rows.Select(r => r.TestAccuracy)),
            new DoubleDataFrameColumn("TestLoss", rows.Select(r => r.TestLoss)),
            new Int64DataFrameColumn("EarlyStopStep", rows.Select(r => r.EarlyStopStep)),
            new DoubleDataFrameColumn("EarlyStopTestAccuracy", rows.Select(r => r.EarlyStopTestAccuracy)),
            new Int64DataFrameColumn("Steps", rows.Select(r => r.Steps)),
            new Int64DataFrameColumn("DenseFlops", rows.Select(r => r.DenseFlops)),
            new Int64DataFrameColumn("SparseFlops", rows.Select(r => r.SparseFlops)),
            new DoubleDataFrameColumn("Speedup", rows.Select(Speedup)),
            new DoubleDataFrameColumn("CompressionRatio", rows.Select(r => r.CompressionRatio)),
            new DoubleDataFrameColumn("WallSeconds", rows.Select(r => r.WallSeconds)));
    }

    /// <summary>Every run of a lottery-ticket experiment (dense, tickets and controls), one row each.</summary>
    public static DataFrame ToDataFrame(this LotteryResult result) => result.Records.ToDataFrame();

    /// <summary>
    /// The runs grouped by kind, round and sparsity level (the target when there is one, else the achieved sparsity
    /// to 0.1%), with the mean and sample standard deviation of <paramref name="metric"/> (default: final test
    /// accuracy) over seeds. Ordered by kind in order of first appearance, then by sparsity.
    /// </summary>
    public static IReadOnlyList<SeedSummary> Summarise(IEnumerable<RunRecord> records, Func<RunRecord, double>? metric = null)
    {
        metric ??= FinalAccuracy;
        var list = records.ToList();
        var kinds = list.Select(r => r.Kind).Distinct().ToList();
        return list.GroupBy(r => (r.Kind, r.Round, Level: r.TargetSparsity ?? Math.Round(r.Sparsity, 3)))
            .Select(g =>
            {
                var values = g.Select(metric).ToArray();
                double mean = values.Average();
                double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
                return new SeedSummary(g.Key.Kind, g.Key.Round, g.First().TargetSparsity, g.Average(r => r.Sparsity),
                    g.Average(r => (double)r.SparseFlops), g.Average(Speedup), mean, std, values.Length);
            })
            .OrderBy(s => kinds.IndexOf(s.Kind)).ThenBy(s => s.Sparsity).ThenBy(s => s.Round).ToList();
    }

    /// <summary>
    /// <see cref="Summarise"/> as a DataFrame: Kind, Round, TargetSparsity, Sparsity, WeightsRemaining, Speedup,
    /// <c>{metricName}Mean</c>, <c>{metricName}Std</c> (blank for a single seed: no spread to show) and Seeds, one row
    /// per kind and sparsity level. A notebook shows columns named for accuracy or sparsity as percentages.
    /// </summary>
    public static DataFrame SummaryFrame(this IEnumerable<RunRecord> records, Func<RunRecord, double>? metric = null, string metricName = "Accuracy")
    {
        var rows = Summarise(records, metric);
        return new DataFrame(
            new StringDataFrameColumn("Kind", rows.Select(r => r.Kind)),
            new Int32DataFrameColumn("Round", rows.Select(r => r.Round)),
            new DoubleDataFrameColumn("TargetSparsity", rows.Select(r => r.TargetSparsity)),
            new DoubleDataFrameColumn("Sparsity", rows.Select(r => r.Sparsity)),
            new DoubleDataFrameColumn("WeightsRemaining", rows.Select(r => r.WeightsRemaining)),
            new DoubleDataFrameColumn("Speedup", rows.Select(r => r.Speedup)),
            new DoubleDataFrameColumn(metricName + "Mean", rows.Select(r => r.Mean)),
            new DoubleDataFrameColumn(metricName + "Std", rows.Select(r => r.Count > 1 ? r.Std : (double?)null)),
            new Int32DataFrameColumn("Seeds", rows.Select(r => r.Count)));
    }

    /// <summary>
    /// The paper's comparison table: one row per sparsity level (target, else achieved), one column per kind of run,
    /// each cell "mean ± std" of <paramref name="metric"/> over seeds, or the mean alone where there is one seed (blank
    /// where a kind has no run). Each column's heading names its unit: "magnitude (%)".
    /// </summary>
    /// <param name="unit">The metric's unit, for a metric that is not a fraction: "iterations" shows the values as they are
    /// under "magnitude (iterations)". Null (the default) shows a fraction (accuracy) as a percentage.</param>
    /// <param name="digits">Decimals in each cell.</param>
    public static DataFrame ComparisonTable(this IEnumerable<RunRecord> records, Func<RunRecord, double>? metric = null,
        string? unit = null, int digits = 2)
    {
        if (digits is < 0 or > 15) throw new ArgumentOutOfRangeException(nameof(digits), digits, "digits must be from 0 to 15, e.g. 2.");
        double scale = unit is null ? 100 : 1;
        string format = "F" + digits.ToString(CultureInfo.InvariantCulture);
        string Number(double value) => (scale * value).ToString(format, CultureInfo.InvariantCulture);
        string Cell(double mean, double? std) => std is double s ? $"{Number(mean)} ± {Number(s)}" : Number(mean);
        var rows = Summarise(records, metric);
        var kinds = rows.Select(r => r.Kind).Distinct().ToList();
        var levels = rows.GroupBy(r => Math.Round(r.TargetSparsity ?? r.Sparsity, 3)).OrderBy(g => g.Key).ToList();
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("Sparsity", levels.Select(l => (l.Key * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%")),
        };
        foreach (var kind in kinds)
            columns.Add(new StringDataFrameColumn($"{kind} ({unit ?? "%"})", levels.Select(l => l.FirstOrDefault(r => r.Kind == kind) is { } cell
                ? Cell(cell.Mean, cell.Count > 1 ? cell.Std : null)
                : "")));
        return new DataFrame(columns);
    }

    internal static double Speedup(RunRecord record) =>
        record.SparseFlops > 0 ? (double)record.DenseFlops / record.SparseFlops : double.NaN;
}
