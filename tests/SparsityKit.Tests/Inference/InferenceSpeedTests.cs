using SparsityKit.Analysis;
using SparsityKit.Inference;
using SparsityKit.Tests.Analysis;
using static SparsityKit.Tests.Inference.SparseInferenceTests;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Inference;

public class InferenceSpeedTests
{
    [Fact]
    public void A_measurement_records_the_setting_and_a_speed_up_inside_its_range()
    {
        using var threads = new SingleThread();
        var model = PrunedModel("lenet300-100", 0.9, out var masks);
        using var _ = masks;
        using var sparse = SparseInference.Convert(model, masks);
        using var x = randn(3, 784);
        var m = InferenceSpeed.Measure(model.call, sparse, x, "lenet300-100", 0.9, repeats: 3, window: 0.002);
        Assert.Equal((3L, 1, 0.9, 3), (m.Batch, m.Threads, m.Sparsity, m.Repeats));
        Assert.Equal(sparse.PromisedSpeedup, m.PromisedSpeedup);
        Assert.True(m.DenseSeconds > 0 && m.SparseSeconds > 0);
        Assert.InRange(m.Speedup, m.MinSpeedup, m.MaxSpeedup);
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceSpeed.Measure(model.call, sparse, x, repeats: 0));
    }

    [Fact]
    public void The_chart_draws_the_promise_and_one_measured_line_per_batch_with_its_range()
    {
        SpeedupMeasurement M(double sparsity, long batch, double speedup, double promised) =>
            new("m", sparsity, batch, 1, 1e-3, 1e-3 / speedup, speedup, speedup - 0.5, speedup + 1, promised, 3);
        var chart = new PlotJson(Charts.Speedup([M(0.5, 1, 1.0, 2), M(0.9, 1, 3.0, 10), M(0.5, 1000, 1.2, 2), M(0.9, 1000, 6.0, 10)]));
        Assert.Equal(4, chart.Traces.Count);   // 1x line, promise, two batches
        Assert.Equal([2.0, 10.0], PlotJson.Numbers(chart.Trace("promised (FLOPs)"), "y"));
        var batch1000 = chart.Trace("measured, batch 1,000, 1 thread");
        Assert.Equal([0.5, 0.1], PlotJson.Numbers(batch1000, "x").Select(v => Math.Round(v, 9)));
        Assert.Equal([1.2, 6.0], PlotJson.Numbers(batch1000, "y"));
        Assert.Equal([1.0, 1.0], PlotJson.Numbers(batch1000.GetProperty("error_y"), "array").Select(v => Math.Round(v, 9)));
        Assert.Equal([0.5, 0.5], PlotJson.Numbers(batch1000.GetProperty("error_y"), "arrayminus").Select(v => Math.Round(v, 9)));
        Assert.Equal("log", chart.Layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Contains("sparsity", Assert.Throws<ArgumentException>(() => Charts.Speedup([M(double.NaN, 1, 1, 1)])).Message);
    }
}
