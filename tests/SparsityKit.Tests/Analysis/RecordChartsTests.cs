using SparsityKit.Analysis;
using SparsityKit.Experiments;
using static SparsityKit.Tests.Analysis.PlotJson;

namespace SparsityKit.Tests.Analysis;

public class RecordChartsTests
{
    private static void Near(double[] expected, double[] actual) =>
        Assert.Equal(expected, actual, (a, b) => Math.Abs(a - b) < 1e-9);

    [Fact]
    public void Accuracy_versus_sparsity_draws_seeds_means_with_error_bars_and_the_frontier()
    {
        var plot = new PlotJson(Charts.AccuracyVsSparsity(SampleRecords.Sweep()));
        // Per method: its seeds (hidden from the legend) and its mean line; then the frontier.
        Assert.Equal(["magnitude (seeds)", "magnitude", "random (seeds)", "random", "Pareto frontier"],
            plot.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(8, plot.Traces.Where(t => t.GetProperty("name").GetString()!.EndsWith("(seeds)")).Sum(t => Numbers(t, "y").Length));
        var magnitude = plot.Trace("magnitude");
        Near([0.5, 0.9], Numbers(magnitude, "x"));
        Near([0.97, 0.96], Numbers(magnitude, "y"));
        Near([Math.Sqrt(0.0002), Math.Sqrt(0.0002)], Numbers(magnitude.GetProperty("error_y"), "array"));
        Assert.True(magnitude.GetProperty("error_y").GetProperty("visible").GetBoolean());
        // The frontier: random is best at 50% (0.99), magnitude at 90% (0.96).
        var frontier = plot.Trace("Pareto frontier");
        Near([0.5, 0.9], Numbers(frontier, "x"));
        Near([0.99, 0.96], Numbers(frontier, "y"));
        Assert.Equal(".0%", plot.Layout.GetProperty("xaxis").GetProperty("tickformat").GetString());
        Assert.Contains("random: 90%, test accuracy 85.00% ± 7.07% (2 seeds)", Strings(plot.Trace("random"), "text"));
    }

    [Fact]
    public void Without_the_frontier_on_a_weights_remaining_axis_and_with_another_metric()
    {
        var plot = new PlotJson(Charts.AccuracyVsSparsity(SampleRecords.Sweep(), r => r.TestAccuracy - 0.5, "shifted",
            SparsityAxis.WeightsRemaining, frontier: false));
        Assert.DoesNotContain(plot.Traces, t => t.GetProperty("name").GetString() == "Pareto frontier");
        var xaxis = plot.Layout.GetProperty("xaxis");
        Assert.Equal("log", xaxis.GetProperty("type").GetString());
        Assert.Equal("reversed", xaxis.GetProperty("autorange").GetString());
        Near([0.1, 0.5], Numbers(plot.Trace("magnitude"), "x"));
        Near([0.46, 0.47], Numbers(plot.Trace("magnitude"), "y"));
        Assert.Equal("shifted", plot.Layout.GetProperty("yaxis").GetProperty("title").GetString());
    }

    [Fact]
    public void Log_axes_carry_chosen_ticks_with_one_label_each_and_no_minor_ones()
    {
        var records = SampleRecords.Sweep().ToList();
        var remaining = new PlotJson(Charts.AccuracyVsSparsity(records, axis: SparsityAxis.WeightsRemaining)).Layout.GetProperty("xaxis");
        Assert.Equal("array", remaining.GetProperty("tickmode").GetString());
        Assert.False(remaining.TryGetProperty("tickformat", out _));
        Near([0.1, 0.2, 0.5], Numbers(remaining, "tickvals"));   // weights remaining 10% and 50%
        Assert.Equal(["10%", "20%", "50%"], Strings(remaining, "ticktext"));

        var flops = new PlotJson(Charts.AccuracyVsFlops(records)).Layout.GetProperty("xaxis");
        Near([20_000, 50_000, 100_000, 200_000], Numbers(flops, "tickvals"));   // sparse FLOPs 26,620 to 133,100
        Assert.Equal(["20k", "50k", "100k", "200k"], Strings(flops, "ticktext"));

        var speedup = new PlotJson(Charts.AccuracyVsFlops(records, speedup: true)).Layout.GetProperty("xaxis");
        Assert.Equal(["2x", "5x", "10x"], Strings(speedup, "ticktext"));

        var wide = records.Select((r, i) => r with { SparseFlops = (long)Math.Pow(10, 2 + i) }).ToList();   // 100 to 1e9
        var decades = Strings(new PlotJson(Charts.AccuracyVsFlops(wide)).Layout.GetProperty("xaxis"), "ticktext");
        Assert.Equal(["100", "1k", "10k", "100k", "1M", "10M", "100M", "1G"], decades);
    }

    [Fact]
    public void Accuracy_versus_flops_and_speed_up_use_log_axes_and_the_same_frontier()
    {
        var flops = new PlotJson(Charts.AccuracyVsFlops(SampleRecords.Sweep()));
        Assert.Equal("log", flops.Layout.GetProperty("xaxis").GetProperty("type").GetString());
        Near([26_620, 133_100], Numbers(flops.Trace("Pareto frontier"), "x"));
        Near([0.96, 0.99], Numbers(flops.Trace("Pareto frontier"), "y"));

        var speedup = new PlotJson(Charts.AccuracyVsFlops(SampleRecords.Sweep(), speedup: true));
        Assert.Contains("speed-up", speedup.Layout.GetProperty("xaxis").GetProperty("title").GetString());
        Near([2, 10], Numbers(speedup.Trace("Pareto frontier"), "x"));
        Near([0.99, 0.96], Numbers(speedup.Trace("Pareto frontier"), "y"));

        var noFlops = SampleRecords.Sweep().Select(r => r with { SparseFlops = 0 });
        Assert.Contains("no FLOP counts", Assert.Throws<ArgumentException>(() => Charts.AccuracyVsFlops(noFlops)).Message);
    }

    [Fact]
    public void An_empty_record_list_is_refused()
    {
        Assert.Contains("No run records", Assert.Throws<ArgumentException>(() => Charts.AccuracyVsSparsity([])).Message);
        Assert.Contains("No run records", Assert.Throws<ArgumentException>(() => Charts.LotteryTickets(Array.Empty<RunRecord>())).Message);
    }

    [Fact]
    public void The_lottery_chart_has_a_band_and_a_line_per_kind_in_paper_order_and_a_flat_dense_line()
    {
        var records = new List<RunRecord>
        {
            SampleRecords.Make("dense", 1, 0, 0.97, earlyStop: 0.98), SampleRecords.Make("dense", 2, 0, 0.97, earlyStop: 0.96),
            SampleRecords.Make("random-mask", 1, 0.2, 0.9, round: 1), SampleRecords.Make("random-mask", 1, 0.36, 0.8, round: 2),
            SampleRecords.Make("ticket", 1, 0.2, 0.9, round: 1, earlyStop: 0.985), SampleRecords.Make("ticket", 2, 0.2, 0.9, round: 1, earlyStop: 0.975),
            SampleRecords.Make("ticket", 1, 0.36, 0.9, round: 2, earlyStop: 0.99),
        };
        var plot = new PlotJson(Charts.LotteryTickets(records));
        Assert.Equal(["dense ± 1 std", "dense", "ticket ± 1 std", "ticket", "random-mask ± 1 std", "random-mask"],
            plot.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(3, plot.Traces.Count(t => t.TryGetProperty("fill", out var f) && f.GetString() == "toself"));
        // Early-stopping accuracy by default: dense 0.97 flat from 100% to the sparsest level (64% remaining).
        Near([1.0, 0.64], Numbers(plot.Trace("dense"), "x"));
        Near([0.97, 0.97], Numbers(plot.Trace("dense"), "y"));
        Near([0.8, 0.64], Numbers(plot.Trace("ticket"), "x"));
        Near([0.98, 0.99], Numbers(plot.Trace("ticket"), "y"));
        // The band runs out along mean + std and back along mean - std.
        var std = Math.Sqrt(0.00005);
        Near([0.98 + std, 0.99, 0.99, 0.98 - std], Numbers(plot.Trace("ticket ± 1 std"), "y"));
        var xaxis = plot.Layout.GetProperty("xaxis");
        Assert.Equal("log", xaxis.GetProperty("type").GetString());
        Assert.Equal("reversed", xaxis.GetProperty("autorange").GetString());

        var final = new PlotJson(Charts.LotteryTickets(new LotteryResult(records, 7, 0), r => r.TestAccuracy, "final test accuracy"));
        Near([0.9, 0.9], Numbers(final.Trace("ticket"), "y"));
        Assert.Equal("final test accuracy", final.Layout.GetProperty("yaxis").GetProperty("title").GetString());
    }
}
