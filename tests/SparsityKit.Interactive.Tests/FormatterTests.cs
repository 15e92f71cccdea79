using System.Text.RegularExpressions;

namespace SparsityKit.Interactive.Tests;

public sealed class FormatterTests : IDisposable
{
    private readonly KernelSession _session = new();

    public void Dispose() => _session.Dispose();

    // A run built by hand (no training), so the expected numbers are known exactly.
    private const string MakeRun = """
        var history = new List<HistoryRow> { new(100, 0.5, 0.4, 0.91), new(200, 0.3, 0.25, 0.9432) };
        var run = new TrainingRun("tiny <run>", Zoo.LeNet300_100(seed: 1, device: CPU), new TrainConfig { Steps = 200 }, null,
            history, new Dictionary<long, WeightSnapshot>(), TimeSpan.FromSeconds(2));
        """;

    private static int Rows(string html) => Regex.Matches(html, "<tr><td>").Count;

    [Fact]
    public void A_training_run_shows_a_summary_and_its_history_table()
    {
        _session.Submit(MakeRun);
        var html = KernelSession.Html(_session.Submit("run")).Single();
        Assert.Contains("<b>tiny &lt;run&gt;</b>: 200 steps in 2.0 s (100 steps/s)", html);
        Assert.Contains("final test accuracy <b>94.32%</b>", html);
        Assert.Contains("Lowest test loss at step 200", html);
        Assert.Contains("learning rate constant", html);
        Assert.Contains("<table class=\"sparsitykit-history\">", html);
        Assert.Equal(2, Rows(html));
    }

    [Fact]
    public void A_history_list_shows_as_a_table_with_validation_columns_when_present()
    {
        _session.Submit(MakeRun);
        var plain = KernelSession.Html(_session.Submit("run.History")).Single();
        Assert.StartsWith("<table class=\"sparsitykit-history\">", plain);
        Assert.Contains("<td>91.00%</td>", plain);
        Assert.DoesNotContain("validation", plain);

        var withValidation = KernelSession.Html(_session.Submit("new List<HistoryRow> { new(5, 1.0, 0.9, 0.5, 0.8, 0.625) }")).Single();
        Assert.Contains("<th>validation accuracy</th>", withValidation);
        Assert.Contains("<td>62.50%</td>", withValidation);
    }

    [Fact]
    public void A_long_history_shows_its_first_and_last_rows()
    {
        var html = KernelSession.Html(_session.Submit(
            "Enumerable.Range(1, 100).Select(i => new HistoryRow(i * 10, 0.1, 0.1, 0.9)).ToList()")).Single();
        Assert.Equal(2 * HistoryHtml.EdgeRows, Rows(html));
        Assert.Contains("… 70 more rows", html);
        Assert.Contains("<td>1,000</td>", html);
    }

    [Fact]
    public void A_data_set_shows_as_one_line_not_its_tensors()
    {
        var html = KernelSession.Html(_session.Submit("Datasets.Synthetic(trainCount: 20, testCount: 10, seed: 1, device: CPU)")).Single();
        Assert.Equal("<p>Synthetic (seed 1): 20 train / 10 test, images 1x28x28, 10 classes, on cpu</p>", html);
    }

    [Fact]
    public void Charts_carry_plotly_js_in_the_first_output_only_and_never_load_it_from_a_cdn()
    {
        SparsityKitKernelExtension.Load();   // a fresh kernel session
        _session.Submit(MakeRun);
        var first = KernelSession.Html(_session.Submit("Charts.TrainingCurves(run)")).Single();
        var second = KernelSession.Html(_session.Submit("Charts.TrainingCurves(run)")).Single();

        Assert.Contains($"plotly.js {Analysis.PlotlyJs.Version} (MIT), embedded by SparsityKit", first);
        Assert.DoesNotContain("embedded by SparsityKit", second);
        foreach (var html in new[] { first, second })
        {
            Assert.Contains("Plotly.newPlot(", html);
            Assert.Contains("\"name\":\"tiny <run>\"", html);
            // (plotly.js itself names cdn.plot.ly as a mapbox default, so the test looks for script sources.)
            Assert.DoesNotMatch("<script[^>]+src=", html);
            Assert.DoesNotContain("plotly-latest", html);
        }
        Assert.True(first.Length > 3_000_000, $"the first chart output is only {first.Length} characters");
        Assert.True(second.Length < 20_000, $"the second chart output is {second.Length} characters");
    }
}
