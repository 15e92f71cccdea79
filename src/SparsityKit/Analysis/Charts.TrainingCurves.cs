using SparsityKit.Training;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>
    /// Test accuracy (top panel) and loss (bottom panel: training loss solid, test loss dotted) against the step,
    /// one colour per run. Clicking a run in the legend hides or shows all its lines.
    /// </summary>
    public static PlotlyChart TrainingCurves(params TrainingRun[] runs) => TrainingCurves((IEnumerable<TrainingRun>)runs);

    /// <inheritdoc cref="TrainingCurves(TrainingRun[])"/>
    public static PlotlyChart TrainingCurves(IEnumerable<TrainingRun> runs, string title = "Training curves")
    {
        var list = runs.ToList();
        RequireSome(list, "training runs", nameof(runs));
        var traces = new List<Trace>();
        for (int i = 0; i < list.Count; i++)
        {
            var run = list[i];
            // The first row of a zero-step run has no training loss (NaN), which plotly cannot draw.
            var rows = run.History.ToList();
            var steps = rows.Select(r => (object)r.Step).ToArray();
            string colour = Palette.Colour(i), group = $"run{i}";
            traces.Add(new Scatter
            {
                name = run.Name, legendgroup = group, x = steps, y = rows.Select(r => (object)r.TestAccuracy).ToArray(),
                mode = "lines+markers", line = new Line { color = colour }, yaxis = "y",
            });
            traces.Add(new Scatter
            {
                name = $"{run.Name} train loss", legendgroup = group, showlegend = false, x = steps,
                y = rows.Select(r => double.IsFinite(r.TrainLoss) ? (object)r.TrainLoss : null!).ToArray(),
                mode = "lines", line = new Line { color = colour }, yaxis = "y2",
            });
            traces.Add(new Scatter
            {
                name = $"{run.Name} test loss", legendgroup = group, showlegend = false, x = steps,
                y = rows.Select(r => (object)r.TestLoss).ToArray(),
                mode = "lines", line = new Line { color = colour, dash = "dot" }, yaxis = "y2",
            });
        }
        var layout = new Layout.Layout
        {
            title = title,
            // The step axis sits under the lower panel; the upper panel shares it.
            xaxis = new Xaxis { title = "step", anchor = "y2" },
            yaxis = Axis("test accuracy", domain: [0.45, 1.0], format: ".1%"),
            yaxis2 = Axis("loss (train solid, test dotted)", domain: [0.0, 0.38], anchor: "x"),
        };
        return Build(traces, layout);
    }
}
