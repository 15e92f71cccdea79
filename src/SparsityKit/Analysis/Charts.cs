using XPlot.Plotly;

namespace SparsityKit.Analysis;

/// <summary>
/// The charts SparsityKit draws, as XPlot.Plotly charts: change one with XPlot's <c>With…</c> methods, show it in a
/// notebook (the SparsityKit kernel extension renders it offline) or save it with <see cref="ChartHtml.SaveHtml"/>.
/// Each kind of chart lives in its own file (<c>Charts.&lt;Name&gt;.cs</c>) and shares the helpers below.
/// </summary>
public static partial class Charts
{
    /// <summary>Default size in pixels.</summary>
    public const int Width = 900, Height = 500;

    private static PlotlyChart Build(IEnumerable<Trace> traces, Layout.Layout layout)
    {
        layout.width = Width;
        layout.height = Height;
        var chart = Chart.Plot(traces.ToArray(), layout);
        chart.Width = Width;
        chart.Height = Height;
        return chart;
    }

    private static Yaxis Axis(string title, object[]? domain = null, string? format = null, string? anchor = null)
    {
        var axis = new Yaxis { title = title };
        if (domain is not null) axis.domain = domain;
        if (format is not null) axis.tickformat = format;
        if (anchor is not null) axis.anchor = anchor;
        return axis;
    }

    private static void RequireSome<T>(IReadOnlyCollection<T> items, string what, string parameter)
    {
        if (items.Count == 0) throw new ArgumentException($"No {what} to chart: pass at least one.", parameter);
    }
}
