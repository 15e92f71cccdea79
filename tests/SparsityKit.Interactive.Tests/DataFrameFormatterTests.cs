using System.Text.RegularExpressions;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace SparsityKit.Interactive.Tests;

public sealed class DataFrameFormatterTests
{
    private const string Frame = """
        new Microsoft.Data.Analysis.DataFrame(
            new Microsoft.Data.Analysis.StringDataFrameColumn("Kind", new[] { "magnitude", "random" }),
            new Microsoft.Data.Analysis.DoubleDataFrameColumn("TestAccuracy", new[] { 0.9192, 0.050000000000000044 }),
            new Microsoft.Data.Analysis.DoubleDataFrameColumn("TestLoss", new[] { 7.071067811864696E-05, 0.2134567891 }),
            new Microsoft.Data.Analysis.Int64DataFrameColumn("SparseFlops", new[] { 266_200L, 13_310L }))
        """;

    [Fact]
    public void A_data_frame_shows_percentages_short_numbers_and_scrolls_when_wide()
    {
        using var session = new KernelSession();
        var html = KernelSession.Html(session.Submit(Frame)).Single();
        Assert.Contains("overflow-x: auto", html);
        Assert.Contains(">91.92%<", html);
        Assert.Contains(">5.00%<", html);
        Assert.Contains(">7.071E-05<", html);
        Assert.Contains(">0.2135<", html);
        Assert.Contains(">266,200<", html);
        // No cell with more than 6 significant digits.
        Assert.DoesNotMatch(@">[-\d.,%E+]*\d{7,}[^<]*<", Regex.Replace(html, @"(\d),(\d)", "$1$2").Replace(".", ""));
    }

    [Fact]
    public void The_view_wins_over_a_data_frame_view_registered_after_the_extension_loaded()
    {
        using var session = new KernelSession(() =>
            Formatter.Register<DataFrame>((_, writer) => writer.Write("<p>someone else's view</p>"), "text/html"));
        var html = KernelSession.Html(session.Submit(Frame)).Single();
        Assert.Contains("sparsitykit-frame", html);
    }
}
