using System.Globalization;
using System.Text;
using SparsityKit.Sparsity;

namespace SparsityKit.Interactive;

/// <summary>Mask sets and sparsity reports as HTML tables, each layer with a small bar of the weights it keeps.</summary>
internal static class SparsityHtml
{
    /// <summary>Width of the per-layer bar in pixels.</summary>
    public const int BarWidth = 120;

    public static string MaskSet(MaskSet masks)
    {
        var layers = masks.Layers;
        var html = new StringBuilder("<table class=\"sparsitykit-masks\">\n<thead><tr><th>layer</th><th>kept</th><th>total</th><th>sparsity</th><th>kept weights</th></tr></thead>\n<tbody>\n");
        foreach (var l in layers)
            html.Append($"<tr><td>{Html.Encode(l.Name)}</td><td>{Html.Count(l.Kept)}</td><td>{Html.Count(l.Total)}</td><td>{Html.Percent(l.Sparsity)}</td><td>{Bar(l.Density)}</td></tr>\n");
        html.Append($"<tr><td><b>total</b></td><td><b>{Html.Count(masks.Kept)}</b></td><td><b>{Html.Count(masks.Total)}</b></td><td><b>{Html.Percent(masks.Sparsity)}</b></td><td>{Bar(1 - masks.Sparsity)}</td></tr>\n");
        return html.Append("</tbody>\n</table>").ToString();
    }

    public static string Report(SparsityReport report)
    {
        var html = new StringBuilder();
        html.Append($"<div class=\"sparsitykit-report\">\n<p>Sparsity <b>{Html.Percent(report.Sparsity)}</b> of the prunable weights; ");
        html.Append($"{Html.Count(report.NonZeroParameters)} of {Html.Count(report.Parameters)} parameters non-zero (compression <b>{Ratio(report.CompressionRatio)}</b>); ");
        html.Append($"forward pass {Html.Count(report.SparseFlops)} of {Html.Count(report.DenseFlops)} multiply-accumulates per example (theoretical speed-up <b>{Ratio(report.TheoreticalSpeedup)}</b>).</p>\n");
        html.Append("<table class=\"sparsitykit-report-layers\">\n<thead><tr><th>layer</th><th>kept</th><th>total</th><th>sparsity</th><th>kept weights</th><th>dense FLOPs</th><th>sparse FLOPs</th></tr></thead>\n<tbody>\n");
        foreach (var l in report.Layers)
            html.Append($"<tr><td>{Html.Encode(l.Name)}</td><td>{Html.Count(l.Kept)}</td><td>{Html.Count(l.Total)}</td><td>{Html.Percent(l.Sparsity)}</td><td>{Bar(1 - l.Sparsity)}</td><td>{Html.Count(l.DenseFlops)}</td><td>{Html.Count(l.SparseFlops)}</td></tr>\n");
        return html.Append("</tbody>\n</table>\n</div>").ToString();
    }

    /// <summary>A bar whose filled part is the fraction of weights kept.</summary>
    public static string Bar(double kept)
    {
        double fraction = double.IsFinite(kept) ? Math.Clamp(kept, 0, 1) : 0;
        string width = (fraction * BarWidth).ToString("0.#", CultureInfo.InvariantCulture);
        return $"<div class=\"sparsitykit-bar\" title=\"{Html.Percent(fraction)} kept\" style=\"display: inline-block; width: {BarWidth}px; height: 10px; background: #e0e0e0; vertical-align: middle;\">" +
            $"<div style=\"width: {width}px; height: 10px; background: #1f77b4;\"></div></div>";
    }

    public static string Ratio(double value) =>
        double.IsFinite(value) ? value.ToString("0.##", CultureInfo.InvariantCulture) + "x" : "–";
}
