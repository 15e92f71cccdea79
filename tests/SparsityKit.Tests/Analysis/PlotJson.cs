using System.Text.Json;
using XPlot.Plotly;

namespace SparsityKit.Tests.Analysis;

/// <summary>A chart's traces and layout parsed from the JavaScript XPlot writes, so tests can check values, not text.</summary>
internal sealed class PlotJson
{
    public PlotJson(PlotlyChart chart)
    {
        Js = chart.GetPlottingJS();
        Traces = Parse(Js, "var data = ").EnumerateArray().ToList();
        Layout = Parse(Js, "var layout = ");
    }

    public string Js { get; }
    public IReadOnlyList<JsonElement> Traces { get; }
    public JsonElement Layout { get; }

    public JsonElement Trace(string name) => Traces.Single(t => t.TryGetProperty("name", out var n) && n.GetString() == name);

    public static double[] Numbers(JsonElement trace, string property) =>
        trace.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static string[] Strings(JsonElement trace, string property) =>
        trace.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static JsonElement Parse(string js, string prefix)
    {
        int start = js.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        using var reader = JsonDocument.Parse(js[start..js.IndexOf(";\n", start, StringComparison.Ordinal)]);
        return reader.RootElement.Clone();
    }
}
