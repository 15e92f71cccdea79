using System.Text.RegularExpressions;

namespace SparsityKit.Interactive.Tests;

public sealed class SparsityFormatterTests : IDisposable
{
    private readonly KernelSession _session = new();

    public SparsityFormatterTests() => _session.Submit("using SparsityKit.Experiments;\nusing SparsityKit.Sparsity;");

    public void Dispose() => _session.Dispose();

    // fc1 keeps 1 of 4 weights, fc2 both of 2: 3 of 6 in all.
    private const string MakeMasks = """
        var masks = new MaskSet(new Dictionary<string, Tensor>
        {
            ["fc1.weight"] = tensor(new float[] { 1, 0, 0, 0 }).reshape(2, 2),
            ["fc2.weight"] = tensor(new float[] { 1, 1 }).reshape(1, 2),
        });
        """;

    private static string Record(string kind, int seed, double sparsity, double accuracy, double early, int round = 0) =>
        $"new RunRecord {{ Experiment = \"t\", Kind = \"{kind}\", Seed = {seed}, Round = {round}, Sparsity = {sparsity}, TestAccuracy = {accuracy}, " +
        $"EarlyStopTestAccuracy = {early}, TestLoss = 0.1, Steps = 10, DenseFlops = 1000, SparseFlops = {(long)Math.Round(1000 * (1 - sparsity))} }}";

    private static int Rows(string html) => Regex.Matches(html, "<tr><td>").Count;

    [Fact]
    public void A_mask_set_shows_a_row_per_layer_with_a_bar_of_the_kept_weights_and_a_total()
    {
        _session.Submit(MakeMasks);
        var html = KernelSession.Html(_session.Submit("masks")).Single();
        Assert.StartsWith("<table class=\"sparsitykit-masks\">", html);
        Assert.Equal(3, Rows(html));
        Assert.Contains("<tr><td>fc1.weight</td><td>1</td><td>4</td><td>75.00%</td>", html);
        Assert.Contains("<tr><td>fc2.weight</td><td>2</td><td>2</td><td>0.00%</td>", html);
        Assert.Contains("<td><b>total</b></td><td><b>3</b></td><td><b>6</b></td><td><b>50.00%</b></td>", html);
        // The bars' filled widths are the kept fractions of 120 px: 25%, 100%, 50%.
        var widths = Regex.Matches(html, "<div style=\"width: ([0-9.]+)px; height: 10px; background: #1f77b4;\">").Select(m => m.Groups[1].Value);
        Assert.Equal(["30", "120", "60"], widths);
    }

    [Fact]
    public void A_sparsity_report_shows_compression_speed_up_and_flops_per_layer()
    {
        var html = KernelSession.Html(_session.Submit("""
            var model = Zoo.LeNet300_100(seed: 1, device: CPU);
            var pruned = Prune.Magnitude(model, SparsityDistribution.Uniform(0.5));
            SparsityReport.Of(model, [1, 28, 28], pruned)
            """)).Single();
        Assert.StartsWith("<div class=\"sparsitykit-report\">", html);
        Assert.Contains("Sparsity <b>50.00%</b> of the prunable weights", html);
        Assert.Contains("133,510 of 266,610 parameters non-zero", html);   // 266,200 weights / 2 + 410 biases
        Assert.Contains("forward pass 133,100 of 266,200 multiply-accumulates", html);
        Assert.Contains("theoretical speed-up <b>2x</b>", html);
        Assert.Contains("<tr><td>fc1.weight</td><td>117,600</td><td>235,200</td><td>50.00%</td>", html);
        Assert.Equal(3, Rows(html));
    }

    [Fact]
    public void A_list_of_records_shows_mean_and_spread_over_seeds_per_kind_and_sparsity()
    {
        var html = KernelSession.Html(_session.Submit($$"""
            new List<RunRecord>
            {
                {{Record("magnitude", 1, 0.9, 0.97, 0.975)}}, {{Record("magnitude", 2, 0.9, 0.95, 0.965)}},
                {{Record("random <b>", 1, 0.9, 0.90, 0.91)}},
            }
            """)).Single();
        Assert.Contains("3 runs of 2 kinds (magnitude, random &lt;b&gt;), seeds 1, 2", html);
        Assert.Equal(2, Rows(html));
        Assert.DoesNotContain("<th>round</th>", html);
        Assert.Contains("<tr><td>magnitude</td><td>90.00%</td><td>10.00%</td><td>10x</td><td>96.00% ± 1.41%</td><td>97.00% ± 0.71%</td><td>2</td></tr>", html);
        Assert.Contains("<td>random &lt;b&gt;</td>", html);
        Assert.Contains("<td>90.00%</td><td>91.00%</td><td>1</td></tr>", html);   // one seed: no spread to show
    }

    [Fact]
    public void A_lottery_result_says_what_was_computed_and_loaded_and_shows_rounds()
    {
        var html = KernelSession.Html(_session.Submit($$"""
            new LotteryResult(new List<RunRecord>
            {
                {{Record("dense", 1, 0, 0.98, 0.98)}}, {{Record("ticket", 1, 0.2, 0.981, 0.982, round: 1)}},
                {{Record("reinit", 1, 0.2, 0.97, 0.972, round: 1)}},
            }, 2, 1)
            """)).Single();
        Assert.Contains("Lottery tickets: 2 computed now, 1 loaded from the run store; 3 runs of 3 kinds", html);
        Assert.Contains("<th>round</th>", html);
        Assert.Contains("<tr><td>ticket</td><td>1</td><td>20.00%</td><td>80.00%</td>", html);
        Assert.Equal(3, Rows(html));
    }
}
