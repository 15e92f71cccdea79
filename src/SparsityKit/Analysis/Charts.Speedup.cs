using SparsityKit.Inference;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>
    /// Promised against measured speed-up of sparse inference per sparsity: the speed-up the FLOP count promises (dense over
    /// kept multiply-accumulates) as a dashed black line, and the measured one (<see cref="InferenceSpeed.Measure"/>) as one
    /// line per batch size and thread count, with its range over repeats as error bars. Both axes log: the fraction of
    /// weights remaining (reversed, sparser to the right) and the speed-up; a dotted line marks 1x (no gain).
    /// </summary>
    public static PlotlyChart Speedup(IEnumerable<SpeedupMeasurement> measurements, string title = "Promised and measured speed-up of sparse inference")
    {
        var list = measurements.ToList();
        RequireSome(list, "speed-up measurements", nameof(measurements));
        if (list.Any(m => !(m.Sparsity >= 0 && m.Sparsity < 1)))
            throw new ArgumentException("Every measurement needs its sparsity in [0, 1): pass sparsity to InferenceSpeed.Measure.", nameof(measurements));
        static double Remaining(SpeedupMeasurement m) => 1 - m.Sparsity;
        var traces = new List<Trace>();
        var promised = list.GroupBy(m => m.Sparsity).Select(g => g.First()).OrderBy(m => m.Sparsity).ToList();
        var remaining = list.Select(Remaining).ToList();
        traces.Add(new Scatter
        {
            name = "1x (dense speed)", x = new object[] { remaining.Max(), remaining.Min() }, y = new object[] { 1.0, 1.0 },
            mode = "lines", line = new Line { color = "#7f7f7f", dash = "dot", width = 1 }, hoverinfo = "skip",
        });
        traces.Add(new Scatter
        {
            name = "promised (FLOPs)", x = promised.Select(m => (object)Remaining(m)).ToArray(), y = promised.Select(m => (object)m.PromisedSpeedup).ToArray(),
            mode = "lines+markers", line = new Line { color = "#000000", dash = "dash" }, marker = new Marker { color = "#000000", size = 6 },
            text = promised.Select(m => $"{PercentTick(m.Sparsity)} sparse: FLOPs promise {m.PromisedSpeedup:0.##}x").ToArray(), hoverinfo = "text",
        });
        var series = list.GroupBy(m => (m.Batch, m.Threads)).OrderBy(g => g.Key.Threads).ThenBy(g => g.Key.Batch).ToList();
        for (int s = 0; s < series.Count; s++)
        {
            var points = series[s].OrderBy(m => m.Sparsity).ToList();
            string colour = Palette.Colour(s);
            traces.Add(new Scatter
            {
                name = $"measured, batch {points[0].Batch:N0}, {points[0].Threads} thread{(points[0].Threads == 1 ? "" : "s")}",
                x = points.Select(m => (object)Remaining(m)).ToArray(), y = points.Select(m => (object)m.Speedup).ToArray(),
                mode = "lines+markers", line = new Line { color = colour }, marker = new Marker { color = colour, size = 7 },
                error_y = new Error_y
                {
                    type = "data", symmetric = false, visible = true, color = colour, thickness = 1.5, width = 4,
                    array = points.Select(m => (object)(m.MaxSpeedup - m.Speedup)).ToArray(),
                    arrayminus = points.Select(m => (object)(m.Speedup - m.MinSpeedup)).ToArray(),
                },
                text = points.Select(m => $"{PercentTick(m.Sparsity)} sparse, batch {m.Batch:N0}: measured {m.Speedup:0.##}x " +
                    $"(range {m.MinSpeedup:0.##}-{m.MaxSpeedup:0.##}x over {m.Repeats} repeats), FLOPs promise {m.PromisedSpeedup:0.##}x").ToArray(),
                hoverinfo = "text",
            });
        }
        var speedups = list.SelectMany(m => new[] { m.MinSpeedup, m.MaxSpeedup, m.PromisedSpeedup }).Append(1).ToList();
        var y = LogAxis("speed-up over the dense model (log scale)", speedups, FactorTick);
        var layout = new Layout.Layout
        {
            title = title, hovermode = "closest",
            xaxis = LogAxis("weights remaining (log scale)", remaining, PercentTick, reversed: true),
            yaxis = new Yaxis { title = y.title, type = "log", tickmode = "array", tickvals = y.tickvals, ticktext = y.ticktext },
        };
        return Build(traces, layout);
    }
}
