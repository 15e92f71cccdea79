using SparsityKit.Experiments;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

/// <summary>What the horizontal axis of <see cref="Charts.AccuracyVsSparsity"/> shows.</summary>
public enum SparsityAxis
{
    /// <summary>The achieved sparsity, linear, as Gale et al. plot it (sparser to the right).</summary>
    Sparsity,

    /// <summary>The fraction of weights remaining on a log axis, reversed so that sparser is still to the right.</summary>
    WeightsRemaining,
}

public static partial class Charts
{
    /// <summary>
    /// Accuracy against achieved sparsity for several methods (one colour per <see cref="RunRecord.Kind"/>): each seed as
    /// a faint dot, the mean over seeds as a line with one-standard-deviation error bars, and the Pareto frontier over all
    /// methods' means. <paramref name="metric"/> defaults to final test accuracy.
    /// </summary>
    public static PlotlyChart AccuracyVsSparsity(IEnumerable<RunRecord> records, Func<RunRecord, double>? metric = null,
        string metricName = "test accuracy", SparsityAxis axis = SparsityAxis.Sparsity, bool frontier = true,
        string title = "Accuracy versus sparsity")
    {
        var list = records.ToList();
        var xaxis = axis == SparsityAxis.Sparsity
            ? new Xaxis { title = "sparsity (fraction of prunable weights pruned)", tickformat = ".0%" }
            : LogAxis("weights remaining (log scale)", list.Select(r => r.WeightsRemaining), PercentTick, reversed: true);
        return axis == SparsityAxis.Sparsity
            ? SeedSpread(list, metric ?? RunFrames.FinalAccuracy, metricName, s => s.Sparsity, r => r.Sparsity, s => s.WeightsRemaining,
                xaxis, "%", title, frontier)
            : SeedSpread(list, metric ?? RunFrames.FinalAccuracy, metricName, s => s.WeightsRemaining, r => r.WeightsRemaining,
                s => s.WeightsRemaining, xaxis, "%", title, frontier);
    }
}
