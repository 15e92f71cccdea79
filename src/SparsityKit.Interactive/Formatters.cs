using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using SparsityKit.Analysis;
using SparsityKit.Clusters;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using XPlot.Plotly;

namespace SparsityKit.Interactive;

/// <summary>Registers SparsityKit's HTML (and plain-text) views with the kernel's formatter.</summary>
public static class Formatters
{
    private const string HtmlMime = "text/html", PlainMime = "text/plain";

    public static void Register()
    {
        Formatter.Register<TrainingRun>((run, writer) => writer.Write(TrainingRunHtml.Render(run)), HtmlMime);
        Formatter.Register<IEnumerable<HistoryRow>>((rows, writer) => writer.Write(HistoryHtml.Table(rows.ToList())), HtmlMime);
        // A data set's default view would list its tensors element by element.
        Formatter.Register<Dataset>((data, writer) => writer.Write($"<p>{Html.Encode(data.ToString())}</p>"), HtmlMime);
        Formatter.Register<MaskSet>((masks, writer) => writer.Write(SparsityHtml.MaskSet(masks)), HtmlMime);
        Formatter.Register<SparsityReport>((report, writer) => writer.Write(SparsityHtml.Report(report)), HtmlMime);
        Formatter.Register<IEnumerable<RunRecord>>((records, writer) => writer.Write(RecordsHtml.Render(records.ToList())), HtmlMime);
        Formatter.Register<LotteryResult>((result, writer) => writer.Write(RecordsHtml.Render(result)), HtmlMime);
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(NotebookCharts.Render(chart)), HtmlMime);
        Formatter.Register<PlotlyChart>((chart, writer) =>
            writer.Write($"XPlot.Plotly chart {chart.Id}: shown as HTML in a notebook; save it with ChartHtml.SaveHtml(chart, path)."), PlainMime);
        RegisterDataFrame();
        Formatter.Register<ProgressView>((view, writer) => writer.Write(view.ToHtml()), HtmlMime);
        Formatter.Register<ProgressView>((view, writer) => writer.Write(view.ToString()), PlainMime);
        Formatter.Register<ClusterStatus>((status, writer) => writer.Write(status.ToHtml()), HtmlMime);
        Formatter.Register<ClusterStatus>((status, writer) => writer.Write(status.ToString()), PlainMime);
        Formatter.Register<ClusterView>((view, writer) => writer.Write(view.ToHtml()), HtmlMime);
        Formatter.Register<ClusterView>((view, writer) => writer.Write(view.ToString()), PlainMime);
    }

    /// <summary>
    /// DataFrames as formatted, scrolling tables, replacing Microsoft.Data.Analysis's own view (raw doubles, long
    /// numbers wrapped, wide frames cut off).
    /// </summary>
    public static void RegisterDataFrame()
    {
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(DataFrameHtml.Render(frame)), HtmlMime);
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(FrameFormat.ToText(frame)), PlainMime);
    }
}
