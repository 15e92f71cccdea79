using Microsoft.Data.Analysis;
using SparsityKit.Analysis;

namespace SparsityKit.Tests.Analysis;

public class FrameFormatTests
{
    private sealed record Row(string Method, double TargetSparsity, double? TestAccuracy, int Seeds, double Loss);

    [Fact]
    public void Accuracy_and_sparsity_columns_show_as_percentages_and_other_numbers_with_4_significant_digits()
    {
        Assert.Equal("91.92%", FrameFormat.Value("TestAccuracy", 0.9192));
        Assert.Equal("5.00%", FrameFormat.Value("Sparsity", 0.050000000000000044));
        Assert.Equal("7.071E-05", FrameFormat.Value("TestLoss", 7.071067811864696E-05));
        Assert.Equal("0.2135", FrameFormat.Value("TestLoss", 0.2134567891));
        Assert.Equal("266,200", FrameFormat.Value("SparseFlops", 266_200L));
        Assert.Equal("123,457", FrameFormat.Value("Steps", 123_456.7));
        Assert.Equal("", FrameFormat.Value("TestAccuracy", null));
        Assert.Equal("", FrameFormat.Value("TestAccuracy", double.NaN));
    }

    [Fact]
    public void Records_become_typed_columns_and_a_text_table_with_a_header_rule()
    {
        var frame = new[] { new Row("magnitude", 0.9, 0.98123, 1, 0.061234), new Row("L0", 0.95, null, 3, 1.5) }.ToDataFrame();
        Assert.Equal(["Method", "TargetSparsity", "TestAccuracy", "Seeds", "Loss"], frame.Columns.Select(c => c.Name));
        Assert.IsType<DoubleDataFrameColumn>(frame["TestAccuracy"]);
        Assert.IsType<Int32DataFrameColumn>(frame["Seeds"]);
        Assert.Null(frame["TestAccuracy"][1]);

        var lines = FrameFormat.ToText(frame).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^Method\s+TargetSparsity\s+TestAccuracy\s+Seeds\s+Loss$", lines[0]);
        Assert.Matches(@"^-+ +-+", lines[1]);
        Assert.Matches(@"^magnitude\s+90\.00%\s+98\.12%\s+1\s+0\.06123$", lines[2]);
        Assert.Matches(@"^L0\s+95\.00%\s+3\s+1\.5$", lines[3]);
    }

    [Fact]
    public void A_markdown_table_has_every_row_cells_as_shown_numbers_right_aligned_and_pipes_escaped()
    {
        var rows = Enumerable.Range(0, FrameFormat.MaxRows + 1).Select(i => new Row(i == 0 ? "a|b" : "L0", 0.9, i == 0 ? null : 0.98123, i, 0.5));
        var lines = FrameFormat.ToMarkdown(rows.ToDataFrame()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(FrameFormat.MaxRows + 3, lines.Length);   // header, rule, every row (the text table stops at MaxRows)
        Assert.Equal("| Method | TargetSparsity | TestAccuracy | Seeds | Loss |", lines[0]);
        Assert.Equal("|---|---:|---:|---:|---:|", lines[1]);
        Assert.Equal("| a\\|b | 90.00% |  | 0 | 0.5 |", lines[2]);
        Assert.Equal("| L0 | 90.00% | 98.12% | 1 | 0.5 |", lines[3]);
    }
}
