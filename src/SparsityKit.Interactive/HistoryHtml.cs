using System.Text;
using SparsityKit.Training;

namespace SparsityKit.Interactive;

/// <summary>A training history as an HTML table; long histories show their first and last rows.</summary>
internal static class HistoryHtml
{
    /// <summary>Histories longer than this show <see cref="EdgeRows"/> rows at each end.</summary>
    public const int MaxRows = 40, EdgeRows = 15;

    public static string Table(IReadOnlyList<HistoryRow> rows)
    {
        bool validation = rows.Any(r => r.ValidationLoss is not null);
        var html = new StringBuilder("<table class=\"sparsitykit-history\">\n<thead><tr><th>step</th><th>train loss</th><th>test loss</th><th>test accuracy</th>");
        if (validation) html.Append("<th>validation loss</th><th>validation accuracy</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        int columns = validation ? 6 : 4;
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows.Count > MaxRows && i == EdgeRows)
            {
                html.Append($"<tr><td colspan=\"{columns}\">… {Html.Count(rows.Count - 2 * EdgeRows)} more rows (ToDataFrame() has them all) …</td></tr>\n");
                i = rows.Count - EdgeRows - 1;
                continue;
            }
            var r = rows[i];
            html.Append($"<tr><td>{Html.Count(r.Step)}</td><td>{Html.Number(r.TrainLoss)}</td><td>{Html.Number(r.TestLoss)}</td><td>{Html.Percent(r.TestAccuracy)}</td>");
            if (validation) html.Append($"<td>{Html.Number(r.ValidationLoss)}</td><td>{Html.PercentOrBlank(r.ValidationAccuracy)}</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>").ToString();
    }
}
