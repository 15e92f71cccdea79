using System.Text;
using Microsoft.Data.Analysis;
using SparsityKit.Analysis;

namespace SparsityKit.Interactive;

/// <summary>
/// A DataFrame as an HTML table with SparsityKit's cell formats (<see cref="FrameFormat"/>: percentages for accuracy and
/// sparsity, at most 4 significant digits elsewhere), one line per row, scrolling sideways when wider than the page.
/// </summary>
internal static class DataFrameHtml
{
    public static string Render(DataFrame frame)
    {
        var columns = frame.Columns.ToList();
        long shown = Math.Min(frame.Rows.Count, FrameFormat.MaxRows);
        var html = new StringBuilder("<div class=\"sparsitykit-frame\" style=\"overflow-x: auto; max-width: 100%\">\n");
        html.Append("<table style=\"white-space: nowrap\">\n<thead><tr><th></th>");
        foreach (var column in columns) html.Append($"<th>{Html.Encode(column.Name)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        for (long row = 0; row < shown; row++)
        {
            html.Append($"<tr><td><i>{row}</i></td>");
            foreach (var column in columns)
            {
                string align = FrameFormat.IsNumeric(column) ? " style=\"text-align: right\"" : "";
                html.Append($"<td{align}>{Html.Encode(FrameFormat.Cell(column, row))}</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        if (frame.Rows.Count > shown)
            html.Append($"<p>… {Html.Count(frame.Rows.Count - shown)} more rows ({Html.Count(frame.Rows.Count)} in all)</p>\n");
        return html.Append("</div>").ToString();
    }
}
