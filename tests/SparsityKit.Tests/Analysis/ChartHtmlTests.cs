using System.Text.RegularExpressions;
using SparsityKit.Analysis;

namespace SparsityKit.Tests.Analysis;

public class ChartHtmlTests
{
    [Fact]
    public void The_embedded_plotly_js_is_the_pinned_version_and_hides_amd_loaders()
    {
        var script = PlotlyJs.ScriptElement;
        Assert.Contains($"plotly.js v{PlotlyJs.Version}", script);
        Assert.True(script.Length > 4_000_000, $"plotly.js is only {script.Length} characters");
        Assert.StartsWith("<script type=\"text/javascript\">", script);
        Assert.Contains("(function (define, module, exports) {", script);
        // The element's only end tag is its own.
        Assert.Single(Regex.Matches(script, "</script", RegexOptions.IgnoreCase));
        Assert.EndsWith("}).call(window);\n</script>", script);
    }

    [Fact]
    public void A_fragment_draws_into_its_own_div_with_or_without_plotly()
    {
        var chart = Charts.TrainingCurves(Runs.Dense());
        var bare = ChartHtml.Fragment(chart, includePlotly: false);
        Assert.StartsWith($"<div id=\"{chart.Id}\" class=\"sparsitykit-chart\" style=\"width: 900px; height: 500px;\"></div>", bare);
        Assert.Contains($"Plotly.newPlot('{chart.Id}'", bare);
        Assert.Contains("if (window.Plotly) { draw(); return; }", bare);
        Assert.DoesNotContain("embedded by SparsityKit", bare);

        var full = ChartHtml.Fragment(chart);
        Assert.StartsWith(PlotlyJs.ScriptElement, full);
        Assert.EndsWith(bare, full);
    }

    [Fact]
    public void A_saved_page_is_self_contained()
    {
        var chart = Charts.TrainingCurves(Runs.Dense());
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "sub", "curves.html");
        chart.SaveHtml(path);
        var html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>curves</title>", html);
        Assert.Contains("embedded by SparsityKit", html);
        Assert.Contains($"Plotly.newPlot('{chart.Id}'", html);
        Assert.DoesNotMatch("<script[^>]+src=", html);
        Assert.True(html.IndexOf("embedded by SparsityKit", StringComparison.Ordinal) < html.IndexOf("Plotly.newPlot", StringComparison.Ordinal));
    }
}
