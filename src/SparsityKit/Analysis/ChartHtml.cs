using System.Net;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

/// <summary>
/// HTML for XPlot.Plotly charts that draws offline: plotly.js comes from this assembly (<see cref="PlotlyJs"/>), never
/// from XPlot's CDN address.
/// </summary>
public static class ChartHtml
{
    /// <summary>
    /// A <c>div</c> and the script that draws <paramref name="chart"/> into it, for embedding in a page or a notebook
    /// output. With <paramref name="includePlotly"/> the plotly.js script comes first; without it, the chart waits
    /// up to 10 s for an earlier element of the page to define <c>window.Plotly</c>, then says what is missing.
    /// </summary>
    public static string Fragment(PlotlyChart chart, bool includePlotly = true)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string id = WebUtility.HtmlEncode(chart.Id);
        string jsId = System.Text.Json.JsonSerializer.Serialize(chart.Id);
        string draw = $$"""
            <div id="{{id}}" class="sparsitykit-chart" style="width: {{chart.Width}}px; height: {{chart.Height}}px;"></div>
            <script type="text/javascript">
            (function () {
              var draw = function () { {{chart.GetPlottingJS()}} };
              if (window.Plotly) { draw(); return; }
              var waited = 0, timer = setInterval(function () {
                if (window.Plotly) { clearInterval(timer); draw(); }
                else if ((waited += 100) >= 10000) {
                  clearInterval(timer);
                  document.getElementById({{jsId}}).textContent =
                    'This chart needs plotly.js, which SparsityKit embeds in the first chart output of a kernel session. ' +
                    'Re-run that cell, or render with SparsityKit.Analysis.ChartHtml.Fragment(chart, includePlotly: true).';
                }
              }, 100);
            })();
            </script>
            """;
        return includePlotly ? PlotlyJs.ScriptElement + "\n" + draw : draw;
    }

    /// <summary>A complete HTML document with plotly.js and the charts, one below the other.</summary>
    public static string Page(IEnumerable<PlotlyChart> charts, string title = "SparsityKit charts")
    {
        var body = string.Join("\n", charts.Select(c => Fragment(c, includePlotly: false)));
        return $"""
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8" />
            <title>{WebUtility.HtmlEncode(title)}</title>
            {PlotlyJs.ScriptElement}
            </head>
            <body>
            {body}
            </body>
            </html>
            """;
    }

    /// <summary>A complete HTML document with plotly.js and the chart.</summary>
    public static string Page(PlotlyChart chart, string title = "SparsityKit chart") => Page([chart], title);

    /// <summary>Writes <paramref name="chart"/> as a self-contained HTML file (about 4.5 MB) that draws offline.</summary>
    public static void SaveHtml(this PlotlyChart chart, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, Page(chart, Path.GetFileNameWithoutExtension(path)));
    }
}
