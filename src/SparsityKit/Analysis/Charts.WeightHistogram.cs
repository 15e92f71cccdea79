using System.Globalization;
using SparsityKit.Sparsity;
using XPlot.Plotly;
using static TorchSharp.torch;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>
    /// The distribution of a model's prunable weights (all layers, or one <paramref name="layer"/>) as a histogram; with
    /// <paramref name="masks"/>, the weights the masks keep are overlaid on all of them, which shows what magnitude
    /// pruning removes (the middle of the distribution). With <paramref name="magnitude"/> the histogram is of |w|.
    /// Bins are counted here, so the chart stays small however many weights the model has.
    /// </summary>
    public static PlotlyChart WeightHistogram(nn.Module model, MaskSet? masks = null, string? layer = null, int bins = 80,
        bool magnitude = false, bool logCounts = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least one bin is needed.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weights = Prunable.Default.Select(model).Where(p => layer is null || p.Name == layer).ToList();
        if (weights.Count == 0)
            throw new ArgumentException(layer is null ? "The model has no prunable weights."
                : $"No prunable weight '{layer}'. Prunable weights: {string.Join(", ", Prunable.Default.Select(model).Select(p => p.Name))}.", nameof(layer));
        var all = cat(weights.Select(p => p.Parameter.detach().flatten().cpu().to(ScalarType.Float32)).ToList());
        Tensor? kept = null;
        if (masks is not null)
        {
            masks.CheckShapes(weights.Select(p => (p.Name, (Tensor)p.Parameter)), "the weight");
            var keep = cat(weights.Select(p => masks[p.Name].flatten().cpu()).ToList()).gt(0.5);
            kept = all.masked_select(keep);
        }
        if (magnitude)
        {
            all = all.abs();
            kept = kept?.abs();
        }
        double low = all.min().item<float>(), high = all.max().item<float>();
        if (high <= low) high = low + 1e-6;
        double width = (high - low) / bins;
        var centres = Enumerable.Range(0, bins).Select(i => (object)(low + (i + 0.5) * width)).ToArray();
        double[] Counts(Tensor t) => t.numel() == 0 ? new double[bins]
            : t.sub(low).div(width).floor().clamp(0, bins - 1).to(ScalarType.Int64).bincount(null, bins)
                .to(ScalarType.Float64).data<double>().ToArray();

        string what = magnitude ? "|weight|" : "weight";
        var traces = new List<Trace>
        {
            new Bar
            {
                name = (masks is null ? "all weights (" : "before pruning (") + all.numel().ToString("N0", CultureInfo.InvariantCulture) + ")",
                x = centres, y = Counts(all).Cast<object>().ToArray(),
                marker = new Marker { color = masks is null ? Palette.Colour(0) : "#9e9e9e" }, opacity = masks is null ? 1.0 : 0.6,
            },
        };
        if (kept is not null)
            traces.Add(new Bar
            {
                name = string.Create(CultureInfo.InvariantCulture, $"kept by the masks ({kept.numel():N0})"), x = centres, y = Counts(kept).Cast<object>().ToArray(),
                marker = new Marker { color = Palette.Colour(0) }, opacity = 0.8,
            });
        var layout = new Layout.Layout
        {
            title = title ?? $"Distribution of {(layer ?? "all prunable weights")}" + (masks is null ? "" : ", before and after pruning"),
            barmode = "overlay", bargap = 0,
            xaxis = new Xaxis { title = what },
            yaxis = new Yaxis { title = logCounts ? "count (log scale)" : "count", type = logCounts ? "log" : "linear" },
        };
        return Build(traces, layout);
    }
}
