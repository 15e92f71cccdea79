using SparsityKit.Analysis;
using XPlot.Plotly;

namespace SparsityKit.Interactive;

/// <summary>
/// How charts render in a notebook. plotly.js (4.5 MB) goes into the first chart output of a kernel session only;
/// later charts use the <c>window.Plotly</c> it defines, since a notebook's outputs share one page (VS Code, Jupyter,
/// nbconvert's HTML). Set <see cref="EmbedPlotlyInEveryChart"/> when outputs are shown on their own.
/// </summary>
public static class NotebookCharts
{
    private static int _plotlySent;

    /// <summary>Embed plotly.js in every chart output instead of the first one only.</summary>
    public static bool EmbedPlotlyInEveryChart { get; set; }

    /// <summary>Makes the next chart output carry plotly.js again (for example after clearing the first chart's output).</summary>
    public static void EmbedPlotlyNextTime() => Interlocked.Exchange(ref _plotlySent, 0);

    internal static string Render(PlotlyChart chart)
    {
        bool first = Interlocked.Exchange(ref _plotlySent, 1) == 0;
        return ChartHtml.Fragment(chart, includePlotly: first || EmbedPlotlyInEveryChart);
    }
}
