using SparsityKit.Experiments;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>
    /// Accuracy against inference cost for several methods: the sparse model's forward FLOPs per example (multiply-
    /// accumulates, log axis), or with <paramref name="speedup"/> the theoretical speed-up over the dense model (dense /
    /// sparse FLOPs, log axis). Seeds, means with error bars and the Pareto frontier as in <see cref="AccuracyVsSparsity"/>.
    /// </summary>
    public static PlotlyChart AccuracyVsFlops(IEnumerable<RunRecord> records, Func<RunRecord, double>? metric = null,
        string metricName = "test accuracy", bool speedup = false, bool frontier = true, string? title = null)
    {
        var list = records.ToList();
        if (list.Count > 0 && list.All(r => r.SparseFlops <= 0))
            throw new ArgumentException("The records carry no FLOP counts (SparseFlops is 0); make them with Records.From.", nameof(records));
        return speedup
            ? SeedSpread(list, metric ?? RunFrames.FinalAccuracy, metricName, s => s.Speedup, RunFrames.Speedup, s => -s.Speedup,
                LogAxis("theoretical speed-up (dense / sparse FLOPs, log scale)", list.Select(RunFrames.Speedup), FactorTick), "x",
                title ?? "Accuracy versus theoretical speed-up", frontier)
            : SeedSpread(list, metric ?? RunFrames.FinalAccuracy, metricName, s => s.SparseFlops, r => r.SparseFlops, s => s.SparseFlops,
                LogAxis("forward FLOPs per example (multiply-accumulates, log scale)", list.Select(r => (double)r.SparseFlops), CountTick), "N0",
                title ?? "Accuracy versus FLOPs", frontier);
    }
}
