using System.Globalization;
using SparsityKit.Experiments;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>
    /// The shared shape of the accuracy charts: per kind of run, every seed as a faint dot, the mean over seeds as a
    /// line with error bars of one standard deviation, and a dashed black Pareto frontier over the means of all kinds.
    /// </summary>
    private static PlotlyChart SeedSpread(IReadOnlyList<RunRecord> records, Func<RunRecord, double> metric, string metricName,
        Func<SeedSummary, double> x, Func<RunRecord, double> recordX, Func<SeedSummary, double> frontierCost, Xaxis xaxis,
        string xFormat, string title, bool frontier)
    {
        RequireSome(records, "run records", nameof(records));
        var summary = RunFrames.Summarise(records, metric);
        var kinds = summary.Select(s => s.Kind).Distinct().ToList();
        var traces = new List<Trace>();
        for (int i = 0; i < kinds.Count; i++)
        {
            string kind = kinds[i], colour = Palette.Colour(i);
            var runs = records.Where(r => r.Kind == kind).ToList();
            traces.Add(new Scatter
            {
                name = $"{kind} (seeds)", legendgroup = kind, showlegend = false, mode = "markers",
                x = runs.Select(r => (object)recordX(r)).ToArray(), y = runs.Select(r => (object)metric(r)).ToArray(),
                marker = new Marker { color = colour, size = 5, opacity = 0.35 },
                text = runs.Select(r => $"{kind}, seed {r.Seed}: {Format(recordX(r), xFormat)}, {metricName} {Percent(metric(r))}").ToArray(),
                hoverinfo = "text",
            });
            var means = summary.Where(s => s.Kind == kind).OrderBy(x).ToList();
            traces.Add(new Scatter
            {
                name = kind, legendgroup = kind, mode = "lines+markers",
                x = means.Select(s => (object)x(s)).ToArray(), y = means.Select(s => (object)s.Mean).ToArray(),
                line = new Line { color = colour }, marker = new Marker { color = colour, size = 7 },
                error_y = new Error_y { type = "data", array = means.Select(s => (object)s.Std).ToArray(), visible = true, color = colour, thickness = 1.5, width = 4 },
                text = means.Select(s => $"{kind}: {Format(x(s), xFormat)}, {metricName} {MeanAndSpread(s)}").ToArray(),
                hoverinfo = "text",
            });
        }
        if (frontier)
        {
            var best = Pareto.Frontier(summary, frontierCost, s => s.Mean).OrderBy(x).ToList();
            traces.Add(new Scatter
            {
                name = "Pareto frontier", mode = "lines", x = best.Select(s => (object)x(s)).ToArray(), y = best.Select(s => (object)s.Mean).ToArray(),
                line = new Line { color = "#000000", dash = "dash", width = 1.5 },
                text = best.Select(s => $"frontier: {s.Kind}, {Format(x(s), xFormat)}, {metricName} {Percent(s.Mean)}").ToArray(),
                hoverinfo = "text",
            });
        }
        var layout = new Layout.Layout
        {
            title = title, xaxis = xaxis, yaxis = Axis(metricName, format: ".1%"), hovermode = "closest",
        };
        return Build(traces, layout);
    }

    // "mean ± std (n seeds)", or "mean (1 seed)": one seed has no spread to show.
    private static string MeanAndSpread(SeedSummary s) =>
        s.Count > 1 ? $"{Percent(s.Mean)} ± {Percent(s.Std)} ({s.Count} seeds)" : $"{Percent(s.Mean)} (1 seed)";

    private static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";

    // "%" formats a fraction as a percentage, "x" a factor, anything else a .NET number format.
    private static string Format(double value, string format) => format switch
    {
        "%" => (100 * value).ToString("0.##", CultureInfo.InvariantCulture) + "%",
        "x" => value.ToString("0.##", CultureInfo.InvariantCulture) + "x",
        _ => value.ToString(format, CultureInfo.InvariantCulture),
    };
}
