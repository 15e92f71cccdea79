using System.Globalization;
using SparsityKit.Sparsity;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>The sparsity of each masked layer as bars, and of all layers together as the last bar.</summary>
    public static PlotlyChart LayerSparsity(MaskSet masks, string name = "masks") => LayerSparsity((name, masks));

    /// <summary>
    /// Per-layer sparsity of several mask sets side by side (grouped bars, one colour per mask set), e.g. uniform
    /// versus global versus ERK at the same overall sparsity; the last group is all layers together. Hovering a bar
    /// shows the kept and total weights.
    /// </summary>
    public static PlotlyChart LayerSparsity(params (string Name, MaskSet Masks)[] maskSets)
    {
        RequireSome(maskSets, "mask sets", nameof(maskSets));
        var traces = new List<Trace>();
        for (int i = 0; i < maskSets.Length; i++)
        {
            var (name, masks) = maskSets[i];
            var layers = masks.Layers.Append(new LayerSparsity("all layers", masks.Kept, masks.Total)).ToList();
            traces.Add(new HoverTextBar
            {
                name = name, x = layers.Select(l => (object)l.Name).ToArray(), y = layers.Select(l => (object)l.Sparsity).ToArray(),
                marker = new Marker { color = Palette.Colour(i) },
                text = layers.Select(l => string.Create(CultureInfo.InvariantCulture,
                    $"{name}, {l.Name}: {Percent(l.Sparsity)} sparse, {l.Kept:N0} of {l.Total:N0} kept")).ToArray(),
                hoverinfo = "text",
            });
        }
        var layout = new Layout.Layout
        {
            title = "Sparsity per layer", barmode = "group",
            xaxis = new Xaxis { title = "layer" },
            yaxis = new Yaxis { title = "sparsity", tickformat = ".0%", range = new object[] { 0, 1 } },
        };
        return Build(traces, layout);
    }

    /// <summary>
    /// A bar trace whose text shows on hover only. Plotly writes a bar's text inside it by default, turned sideways
    /// and unreadable on short bars; XPlot's <see cref="Bar"/> has no <c>textposition</c> to say "none".
    /// </summary>
    private sealed class HoverTextBar : Bar
    {
        public string textposition => "none";
    }
}
