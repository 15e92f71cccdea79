using SparsityKit.Experiments;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    // Frankle and Carbin's kinds first, in this order; any other kinds follow in order of appearance.
    private static readonly string[] LotteryKinds = ["ticket", "reinit", "random-mask", "scratch-e", "scratch-b"];

    /// <summary>
    /// Lottery tickets against their controls: accuracy (by default at early stopping, as Frankle and Carbin report it)
    /// against the fraction of weights remaining on a reversed log axis, one line per kind (ticket, reinit, random-mask,
    /// scratch-b, ...) at its mean over seeds with a band of one standard deviation; the dense network as a dashed
    /// horizontal line with its own band.
    /// </summary>
    public static PlotlyChart LotteryTickets(LotteryResult result, Func<RunRecord, double>? metric = null,
        string metricName = "test accuracy at early stopping", string title = "Lottery tickets and controls") =>
        LotteryTickets(result.Records, metric, metricName, title);

    /// <inheritdoc cref="LotteryTickets(LotteryResult, Func{RunRecord, double}?, string, string)"/>
    public static PlotlyChart LotteryTickets(IEnumerable<RunRecord> records, Func<RunRecord, double>? metric = null,
        string metricName = "test accuracy at early stopping", string title = "Lottery tickets and controls")
    {
        var list = records.ToList();
        RequireSome(list, "run records", nameof(records));
        metric ??= r => r.EarlyStopTestAccuracy;
        var summary = RunFrames.Summarise(list, metric);
        var kinds = summary.Select(s => s.Kind).Distinct()
            .OrderBy(k => k == "dense" ? -1 : Array.IndexOf(LotteryKinds, k) is var i and >= 0 ? i : LotteryKinds.Length).ToList();
        double leftmost = 1.0, rightmost = summary.Min(s => s.WeightsRemaining);
        var traces = new List<Trace>();
        for (int k = 0; k < kinds.Count; k++)
        {
            string kind = kinds[k], colour = kind == "dense" ? "#000000" : Palette.Colour(k - (kinds[0] == "dense" ? 1 : 0));
            string band = kind == "dense" ? "rgba(0,0,0,0.08)" : Palette.Colour(k - (kinds[0] == "dense" ? 1 : 0), 0.18);
            var points = summary.Where(s => s.Kind == kind).OrderByDescending(s => s.WeightsRemaining).ToList();
            if (kind == "dense")
            {
                // One level: drawn across the whole range so every ticket can be compared with it.
                double mean = points.Average(p => p.Mean), std = points.Max(p => p.Std);
                points = [points[0] with { Mean = mean, Std = std, Sparsity = 1 - leftmost }, points[0] with { Mean = mean, Std = std, Sparsity = 1 - rightmost }];
            }
            var xs = points.Select(p => (object)p.WeightsRemaining).ToArray();
            traces.Add(new Scatter
            {
                name = $"{kind} ± 1 std", legendgroup = kind, showlegend = false, hoverinfo = "skip", mode = "lines",
                x = xs.Concat(xs.Reverse()).ToArray(),
                y = points.Select(p => (object)(p.Mean + p.Std)).Concat(points.Select(p => (object)(p.Mean - p.Std)).Reverse()).ToArray(),
                fill = "toself", fillcolor = band, line = new Line { color = band, width = 0 },
            });
            traces.Add(new Scatter
            {
                name = kind, legendgroup = kind, x = xs, y = points.Select(p => (object)p.Mean).ToArray(),
                mode = kind == "dense" ? "lines" : "lines+markers",
                line = new Line { color = colour, dash = kind == "dense" ? "dash" : "solid" }, marker = new Marker { color = colour, size = 6 },
                text = points.Select(p => kind == "dense" ? $"dense: {metricName} {MeanAndSpread(p)}" : $"{kind}: {Format(p.WeightsRemaining, "%")} of weights, {metricName} {MeanAndSpread(p)}").ToArray(),
                hoverinfo = "text",
            });
        }
        var layout = new Layout.Layout
        {
            title = title, hovermode = "closest",
            xaxis = LogAxis("weights remaining (log scale)", summary.Select(s => s.WeightsRemaining), PercentTick, reversed: true),
            yaxis = Axis(metricName, format: ".1%"),
        };
        return Build(traces, layout);
    }
}
