using SparsityKit.Analysis;
using SparsityKit.Training;

namespace SparsityKit.Tests.Analysis;

public class ChartsTests
{
    [Fact]
    public void Training_curves_draw_accuracy_and_both_losses_per_run_in_the_run_colour()
    {
        var other = Runs.Make("pruned <90%>", new HistoryRow(200, 0.4, 0.3, 0.93));
        var js = Charts.TrainingCurves(Runs.Dense(), other).GetPlottingJS();
        foreach (var name in new[] { "\"dense\"", "\"dense train loss\"", "\"dense test loss\"", "\"pruned <90%>\"" })
            Assert.Contains(name, js);
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Matches(js, "\"type\":\"scatter\"").Count);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(js, Palette.Colour(1)).Count);
        Assert.Contains("\"yaxis2\"", js);
        Assert.Contains("\"y\":[0.9,0.95]", js);
    }

    [Fact]
    public void Training_curves_need_a_run()
    {
        var e = Assert.Throws<ArgumentException>(() => Charts.TrainingCurves());
        Assert.Contains("No training runs to chart", e.Message);
    }

    [Fact]
    public void Palette_cycles_after_ten_colours()
    {
        Assert.Equal(Palette.Colour(0), Palette.Colour(10));
        Assert.NotEqual(Palette.Colour(0), Palette.Colour(1));
    }
}
