using SparsityKit.Analysis;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using static SparsityKit.Tests.Analysis.PlotJson;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Analysis;

public class MaskChartsTests
{
    private static MaskSet Masks(params (string Name, float[] Values, long[] Shape)[] layers) =>
        new(layers.Select(l => new KeyValuePair<string, Tensor>(l.Name, tensor(l.Values).reshape(l.Shape))));

    [Fact]
    public void Layer_sparsity_draws_a_bar_per_layer_and_all_layers_per_mask_set()
    {
        using var a = Masks(("fc1.weight", [1, 0, 0, 0], [2, 2]), ("fc2.weight", [1, 1], [1, 2]));
        using var b = Masks(("fc1.weight", [1, 1, 0, 0], [2, 2]), ("fc2.weight", [0, 1], [1, 2]));
        var plot = new PlotJson(Charts.LayerSparsity(("uniform", a), ("global", b)));
        Assert.All(plot.Traces, t => Assert.Equal("bar", t.GetProperty("type").GetString()));
        Assert.Equal(["fc1.weight", "fc2.weight", "all layers"], Strings(plot.Trace("uniform"), "x"));
        Assert.Equal([0.75, 0.0, 0.5], Numbers(plot.Trace("uniform"), "y"));
        Assert.Equal([0.5, 0.5, 0.5], Numbers(plot.Trace("global"), "y"));
        Assert.Equal("uniform, fc1.weight: 75.00% sparse, 1 of 4 kept", Strings(plot.Trace("uniform"), "text")[0]);
        Assert.All(plot.Traces, t => Assert.Equal("none", t.GetProperty("textposition").GetString()));   // hover only, never inside the bars
        Assert.Equal("group", plot.Layout.GetProperty("barmode").GetString());
        Assert.Throws<ArgumentException>(() => Charts.LayerSparsity());
    }

    [Fact]
    public void The_weight_histogram_counts_all_weights_and_the_kept_ones_in_the_same_bins()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Global(0.9));
        var plot = new PlotJson(Charts.WeightHistogram(model, masks, bins: 10));
        double[] before = Numbers(plot.Traces[0], "y"), after = Numbers(plot.Traces[1], "y");
        Assert.Equal(266_200, before.Sum());
        Assert.Equal(masks.Kept, (long)after.Sum());
        Assert.All(after.Zip(before), p => Assert.True(p.First <= p.Second));
        // One global threshold removes the middle: the central bins keep nothing, the outermost everything.
        Assert.Equal(0, after[4] + after[5]);
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[9], after[9]);
        Assert.Equal("before pruning (266,200)", plot.Traces[0].GetProperty("name").GetString());
        Assert.Equal(Numbers(plot.Traces[0], "x"), Numbers(plot.Traces[1], "x"));

        var one = new PlotJson(Charts.WeightHistogram(model, layer: "fc3.weight", bins: 5, magnitude: true, logCounts: true));
        var only = Assert.Single(one.Traces);
        Assert.Equal("all weights (1,000)", only.GetProperty("name").GetString());
        Assert.All(Numbers(only, "x"), x => Assert.True(x > 0));
        Assert.Equal("log", one.Layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Throws<ArgumentException>(() => Charts.WeightHistogram(model, layer: "nope"));
    }

    [Fact]
    public void A_small_mask_shows_cell_by_cell_and_a_large_one_in_blocks()
    {
        using var small = Masks(("fc.weight", [1, 0, 0, 1, 1, 1], [2, 3]));
        var plot = new PlotJson(Charts.MaskHeatmap(small, "fc.weight"));
        var z = plot.Traces[0].GetProperty("z").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]], z);
        Assert.Equal("Mask of fc.weight: 4 of 6 kept (33.33% sparse); dark kept, white pruned", plot.Layout.GetProperty("title").GetString());
        Assert.Equal("reversed", plot.Layout.GetProperty("yaxis").GetProperty("autorange").GetString());

        var (blocks, rows, columns) = Charts.Blocks([1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0], 3, 4, maxRows: 2, maxColumns: 2);
        Assert.Equal((2, 2), (rows, columns));
        Assert.Equal([0.25, 1.0], blocks[0]);    // rows 0-1: [1 0 | 1 1] / [0 0 | 1 1]
        Assert.Equal([1.0, 0.0], blocks[1]);     // row 2 alone: [1 1 | 0 0]

        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
        var big = new PlotJson(Charts.MaskHeatmap(masks, "fc1.weight"));
        Assert.Contains("fraction kept of a 2 x 3 block", big.Layout.GetProperty("title").GetString());
        Assert.Equal(150, big.Traces[0].GetProperty("z").GetArrayLength());
        Assert.True(big.Js.Length < 400_000, $"the heat map is {big.Js.Length} characters");
        Assert.Throws<KeyNotFoundException>(() => Charts.MaskHeatmap(masks, "fc9.weight"));
    }
}
