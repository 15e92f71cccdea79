using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SparsityKit.Interactive.Tests;

/// <summary>Runs every notebook once, headless and in quick mode, through the same script as the main job.</summary>
public sealed class QuickNotebookRun
{
    public QuickNotebookRun()
    {
        Output = Repository.PathOf("artifacts", "test-notebooks");
        (ExitCode, Log) = Repository.RunScript("scripts/run-notebooks.sh", TimeSpan.FromMinutes(20), "--no-setup", "--output", Output);
    }

    public string Output { get; }
    public int ExitCode { get; }
    public string Log { get; }

    public static IEnumerable<string> Names =>
        Directory.GetFiles(Repository.PathOf("notebooks"), "*.ipynb").Select(p => Path.GetFileNameWithoutExtension(p)!).Order();

    /// <summary>The outputs of the code cells of an executed notebook.</summary>
    public IEnumerable<JsonElement> Outputs(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, name + ".ipynb")));
        return document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .SelectMany(c => c.GetProperty("outputs").EnumerateArray())
            .Select(o => o.Clone()).ToList();
    }

    public static string Html(JsonElement output) =>
        output.TryGetProperty("data", out var data) && data.TryGetProperty("text/html", out var html)
            ? html.ValueKind == JsonValueKind.Array ? string.Concat(html.EnumerateArray().Select(l => l.GetString())) : html.GetString() ?? ""
            : "";
}

public sealed class NotebookTests(QuickNotebookRun run) : IClassFixture<QuickNotebookRun>
{
    [Fact]
    public void Every_notebook_runs_in_quick_mode_without_a_cell_error_and_renders_to_html()
    {
        Assert.True(run.ExitCode == 0, $"scripts/run-notebooks.sh exited {run.ExitCode}:\n{run.Log}");
        Assert.NotEmpty(QuickNotebookRun.Names);
        foreach (var name in QuickNotebookRun.Names)
        {
            var errors = run.Outputs(name).Where(o => o.GetProperty("output_type").GetString() == "error")
                .Select(o => o.GetProperty("evalue").GetString()).ToList();
            Assert.True(errors.Count == 0, $"{name}: {string.Join("\n", errors)}");
            Assert.True(File.Exists(Path.Combine(run.Output, name + ".html")), $"no HTML for {name}:\n{run.Log}");
        }
    }

    [Fact]
    public void The_executed_tour_shows_one_finished_progress_bar_per_run_a_chart_with_plotly_and_no_cdn()
    {
        var outputs = run.Outputs("00-tour").Select(QuickNotebookRun.Html).ToList();
        var bars = outputs.Where(h => h.Contains("data-sparsitykit-progress")).ToList();
        Assert.Equal(2, bars.Count);   // two training runs, each collapsed to its last state
        Assert.All(bars, bar => Assert.Contains("(100%)", bar));
        var charts = outputs.Where(h => h.Contains("Plotly.newPlot(")).ToList();
        Assert.Contains("embedded by SparsityKit", Assert.Single(charts));

        var page = File.ReadAllText(Path.Combine(run.Output, "00-tour.html"));
        Assert.Contains("embedded by SparsityKit", page);
        Assert.DoesNotMatch("<script[^>]+src=\"https?://[^\"]*plot", page);
    }

    [Theory]
    [InlineData("01-magnitude-pruning", 6, "<table class=\"sparsitykit-masks\">", "<div class=\"sparsitykit-report\">")]
    [InlineData("02-lottery-tickets", 1, "Lottery tickets: 9 computed now, 0 loaded", "0 runs computed, 9 loaded")]
    [InlineData("03-scratch-training", 1, "7 runs of 4 kinds (dense, prune + fine-tune, scratch-e, scratch-b)", "scratch-b")]
    [InlineData("04-variational-dropout", 1, "<table class=\"sparsitykit-masks\">", "TargetSparsity")]
    [InlineData("05-l0-regularization", 2, "sparsitykit-frame", "TestAccuracy")]
    [InlineData("06-state-of-sparsity", 2, "24 runs of 4 kinds (magnitude, random, variational dropout, L0), seeds 1, 2", "magnitude")]
    [InlineData("07-beyond-mnist", 2, "ResNet-20 on Fashion-MNIST: dense", "ViT-small on MNIST: dense")]
    [InlineData("08-dynamic-and-early-sparsity", 2, "No verdict: with one seed", "no verdict (one seed)")]
    public void The_experiment_notebooks_show_their_tables_and_charts(string name, int charts, string first, string second)
    {
        var outputs = run.Outputs(name).Select(o => QuickNotebookRun.Html(o) + PlainText(o)).ToList();
        var drawn = outputs.Where(h => h.Contains("Plotly.newPlot(")).ToList();
        Assert.Equal(charts, drawn.Count);
        Assert.Single(drawn, h => h.Contains("embedded by SparsityKit"));
        Assert.Contains(outputs, o => o.Contains(first));
        Assert.Contains(outputs, o => o.Contains(second));
    }

    [Fact]
    public void Notebook_02_shows_the_early_stopping_iteration_headed_in_iterations()
    {
        var outputs = run.Outputs("02-lottery-tickets").Select(o => QuickNotebookRun.Html(o) + PlainText(o)).ToList();
        Assert.Contains(outputs, o => o.Contains("dense (iterations)") && o.Contains("ticket (iterations)"));
    }

    [Fact]
    public void Notebook_07_shows_each_study_s_wall_time_headed_in_minutes()
    {
        var outputs = run.Outputs("07-beyond-mnist").Select(o => QuickNotebookRun.Html(o) + PlainText(o)).ToList();
        Assert.Equal(2, outputs.Count(o => o.Contains("dense (minutes)") && o.Contains("variational dropout (minutes)")));   // ResNet-20's and ViT-small's
    }

    private static string PlainText(System.Text.Json.JsonElement output) =>
        output.TryGetProperty("data", out var data) && data.TryGetProperty("text/plain", out var text)
            ? text.ValueKind == System.Text.Json.JsonValueKind.Array ? string.Concat(text.EnumerateArray().Select(l => l.GetString())) : text.GetString() ?? ""
            : "";

    [Fact]
    public void Every_chart_of_every_rendered_notebook_draws_in_a_browser_with_no_network()
    {
        var pages = QuickNotebookRun.Names.Select(n => Path.Combine(run.Output, n + ".html")).ToArray();
        var (exitCode, log) = Repository.RunScript("scripts/check-charts-offline.sh", TimeSpan.FromMinutes(6), ["--no-screenshot", .. pages]);
        Assert.True(exitCode == 0, $"scripts/check-charts-offline.sh exited {exitCode}:\n{log}");
        var counts = Regex.Matches(log, @"charts: (\d+) of (\d+) drawn offline").Select(m => (Drawn: int.Parse(m.Groups[1].Value), All: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Equal(pages.Length, counts.Count);
        Assert.All(counts, c => Assert.Equal(c.All, c.Drawn));
        Assert.True(counts.Sum(c => c.All) >= 10, log);
    }

    [Fact]
    public void The_outputs_carry_no_machine_address_or_path_outside_the_repository()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        foreach (var name in QuickNotebookRun.Names)
        {
            // plotly.js itself is left out: it is the library's code, not an output of the machine.
            var text = string.Concat(run.Outputs(name).Select(o => o.ToString()).Where(o => !o.Contains("embedded by SparsityKit")));
            Assert.DoesNotContain("probeAddresses", text);
            Assert.DoesNotMatch(@"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?/", text);
            Assert.DoesNotContain(Repository.Root, text);
            if (home.Length > 1) Assert.DoesNotMatch(System.Text.RegularExpressions.Regex.Escape(home) + "[/\"]", text);
        }
    }

    [Fact]
    public void Data_frames_show_at_most_6_significant_digits_and_accuracies_as_percentages()
    {
        var frames = QuickNotebookRun.Names.SelectMany(n => run.Outputs(n).Select(QuickNotebookRun.Html))
            .Where(h => h.Contains("sparsitykit-frame")).ToList();
        Assert.True(frames.Count >= 8, $"{frames.Count} DataFrames shown");
        foreach (var frame in frames)
            foreach (Match cell in Regex.Matches(frame, "<td[^>]*>([^<]*)</td>"))
                foreach (Match number in Regex.Matches(System.Net.WebUtility.HtmlDecode(cell.Groups[1].Value), @"[\d.,]+(E[-+]\d+)?"))   // "93.08 ± 0.12" is two
                {
                    var digits = Regex.Replace(Regex.Replace(number.Value, "E[-+]\\d+$", ""), "[^0-9]", "").TrimStart('0');
                    Assert.True(digits.Length <= 6, $"a number with {digits.Length} significant digits: {cell.Value}");
                }
        Assert.Contains(frames, f => Regex.IsMatch(f, @">\d{2}\.\d{2}%<"));
    }

    [Fact]
    public void Quick_mode_l0_prunes_and_the_state_of_sparsity_table_has_every_method_at_its_target()
    {
        var l0 = string.Concat(run.Outputs("05-l0-regularization").Select(QuickNotebookRun.Html));
        var sparsities = Regex.Matches(l0, @"<tr><td><i>\d+</i></td><td[^>]*>[\d.]+</td><td[^>]*>(\d+\.\d\d)%</td>").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(sparsities);
        Assert.All(sparsities, s => Assert.True(s > 1, $"L0 quick mode pruned only {s}%"));

        var sweep = string.Concat(run.Outputs("06-state-of-sparsity").Select(QuickNotebookRun.Html));
        Assert.DoesNotMatch(@"<td>L0</td>(<td>[^<]*</td>)?<td>0\.00%</td>", sweep);   // kind, target, achieved sparsity
        Assert.Contains("<th>target</th>", sweep);
    }

    [Fact]
    public void The_replication_report_reads_the_quick_stores_that_notebooks_02_and_06_wrote_and_judges_every_claim()
    {
        var outputs = string.Concat(run.Outputs("09-replication-report").Select(o => QuickNotebookRun.Html(o) + PlainText(o)));
        Assert.Contains("notebooks/02-lottery-tickets-quick", outputs);
        Assert.Contains("9 runs, 1 seed", outputs);     // notebook 02's quick store, read rather than missing
        Assert.Contains("24 runs, 2 seeds", outputs);   // notebook 06's
        Assert.Contains("Carbin 2019", outputs);
        Assert.Matches("holds|within noise|does not hold", outputs);
        Assert.Contains("Wrote artifacts/replication-report-quick.md", outputs);
        Assert.Contains("## Verdict rule", File.ReadAllText(Repository.PathOf("artifacts", "replication-report-quick.md")));
    }

    [Fact]
    public void The_package_holds_the_library_and_its_notebook_extension_and_names_no_backend()
    {
        var package = new DirectoryInfo(Repository.PathOf("artifacts", "packages")).GetFiles("SparsityKit.*.nupkg")
            .OrderByDescending(f => f.LastWriteTimeUtc).First();
        using var zip = ZipFile.OpenRead(package.FullName);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/SparsityKit.dll", entries);
        Assert.Contains("interactive-extensions/dotnet/SparsityKit.Interactive.dll", entries);
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.DotNet.Interactive", StringComparison.OrdinalIgnoreCase));

        using var reader = new StreamReader(zip.GetEntry("SparsityKit.nuspec")!.Open());
        var dependencies = Regex.Matches(reader.ReadToEnd(), "<dependency id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("TorchSharp", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("TorchSharp-", StringComparison.Ordinal) || d.StartsWith("libtorch", StringComparison.Ordinal));
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal));
        Assert.Matches(@"^SparsityKit\.\d+\.\d+\.\d+-dev\.\d{8}\.1\d{6}\.nupkg$", package.Name);
    }
}

public sealed class NotebookRunnerTests
{
    [Fact]
    public void A_failing_cell_fails_the_run_and_its_error_is_printed()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sparsitykit-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var notebook = Path.Combine(folder, "failing.ipynb");
        File.WriteAllText(notebook, """
            {"cells": [
              {"cell_type": "code", "id": "a", "execution_count": null, "metadata": {}, "outputs": [], "source": ["Console.WriteLine(\"before\");"]},
              {"cell_type": "code", "id": "b", "execution_count": null, "metadata": {}, "outputs": [], "source": ["throw new InvalidOperationException(\"boom from the notebook test\");"]}
             ],
             "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}},
             "nbformat": 4, "nbformat_minor": 5}
            """);
        var (exitCode, log) = Repository.RunScript("scripts/run-notebooks.sh", TimeSpan.FromMinutes(5),
            "--no-setup", "--no-pack", "--no-html", "--output", Path.Combine(folder, "executed"), notebook);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("boom from the notebook test", log);
        Assert.Contains("0 ran without error, 1 failed", log);
    }
}
