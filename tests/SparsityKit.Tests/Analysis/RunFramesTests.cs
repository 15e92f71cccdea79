using SparsityKit.Analysis;

namespace SparsityKit.Tests.Analysis;

public class RunFramesTests
{
    [Fact]
    public void Records_become_one_row_each_with_weights_remaining_and_speed_up()
    {
        var frame = SampleRecords.Sweep().ToDataFrame();
        Assert.Equal(8, frame.Rows.Count);
        Assert.Equal("magnitude", frame["Kind"][0]);
        Assert.Equal(0.5, (double)frame["WeightsRemaining"][0]!, 9);
        Assert.Equal(10.0, (double)frame["Speedup"][2]!, 3);
        Assert.Equal(0.9, frame["TargetSparsity"][7]);
        Assert.Contains("EarlyStopTestAccuracy", frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public void The_summary_has_mean_and_sample_std_over_seeds_per_kind_and_sparsity()
    {
        var summary = RunFrames.Summarise(SampleRecords.Sweep());
        Assert.Equal(4, summary.Count);
        var random90 = Assert.Single(summary, s => s.Kind == "random" && s.TargetSparsity == 0.9);
        Assert.Equal(0.85, random90.Mean, 9);
        Assert.Equal(Math.Sqrt(0.005), random90.Std, 9);   // sample std of 0.9 and 0.8
        Assert.Equal(2, random90.Count);
        Assert.Equal(["magnitude", "magnitude", "random", "random"], summary.Select(s => s.Kind));

        var frame = SampleRecords.Sweep().SummaryFrame();
        Assert.Equal(["Kind", "Round", "TargetSparsity", "Sparsity", "WeightsRemaining", "Speedup", "AccuracyMean", "AccuracyStd", "Seeds"],
            frame.Columns.Select(c => c.Name));
        Assert.Equal(0.97, (double)frame["AccuracyMean"][0]!, 9);
        Assert.Equal(Math.Sqrt(0.005), (double)frame["AccuracyStd"][3]!, 9);
    }

    [Fact]
    public void Runs_without_a_target_group_by_round_and_achieved_sparsity()
    {
        var records = new[]
        {
            SampleRecords.Make("ticket", 1, 0.2, 0.98, round: 1), SampleRecords.Make("ticket", 2, 0.2001, 0.96, round: 1),
            SampleRecords.Make("ticket", 1, 0.36, 0.97, round: 2),
        };
        var summary = RunFrames.Summarise(records);
        Assert.Equal([2, 1], summary.Select(s => s.Count));
        Assert.Equal(0.97, summary[0].Mean, 9);
    }

    [Fact]
    public void A_single_seed_shows_no_spread()
    {
        var single = SampleRecords.Sweep().Where(r => r.Seed == 1).ToList();
        var frame = single.SummaryFrame(r => r.TestLoss, "TestLoss");
        Assert.Contains("TestLossMean", frame.Columns.Select(c => c.Name));
        Assert.All(Enumerable.Range(0, (int)frame.Rows.Count), i => Assert.Null(frame["TestLossStd"][i]));
        var table = single.ComparisonTable();
        Assert.DoesNotContain("±", string.Concat(Enumerable.Range(0, (int)table.Rows.Count).Select(i => (string)table["magnitude (%)"][i])));
    }

    [Fact]
    public void The_comparison_table_has_a_row_per_sparsity_and_a_column_per_method()
    {
        var table = SampleRecords.Sweep().ComparisonTable();
        Assert.Equal(["Sparsity", "magnitude (%)", "random (%)"], table.Columns.Select(c => c.Name));
        Assert.Equal(["50%", "90%"], new[] { table["Sparsity"][0], table["Sparsity"][1] });
        Assert.Equal("96.00 ± 1.41", table["magnitude (%)"][1]);
        Assert.Equal("99.00 ± 0.00", table["random (%)"][0]);

        var partial = SampleRecords.Sweep().Where(r => !(r.Kind == "random" && r.TargetSparsity == 0.9)).ComparisonTable();
        Assert.Equal("", partial["random (%)"][1]);
    }
    [Fact]
    public void A_comparison_table_of_another_unit_names_it_and_shows_the_values_as_they_are()
    {
        // Early-stopping iterations: 1,000 and 3,000 for magnitude at 90%, 2,500 for both random runs.
        var records = SampleRecords.Sweep().Select(r => r with
        {
            EarlyStopStep = r.Kind == "random" ? 2_500 : r.Seed == 1 ? 1_000 : 3_000,
        });
        var table = records.ComparisonTable(r => r.EarlyStopStep, unit: "iterations", digits: 0);
        Assert.Equal(["Sparsity", "magnitude (iterations)", "random (iterations)"], table.Columns.Select(c => c.Name));
        Assert.Equal("2000 ± 1414", table["magnitude (iterations)"][1]);
        Assert.Equal("2500 ± 0", table["random (iterations)"][1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => records.ComparisonTable(digits: -1));
    }
}
