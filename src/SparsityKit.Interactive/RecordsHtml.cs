using System.Text;
using SparsityKit.Analysis;
using SparsityKit.Experiments;

namespace SparsityKit.Interactive;

/// <summary>
/// Run records as HTML: one row per kind of run and sparsity level, with the mean and spread over seeds of the final
/// and early-stopping test accuracy. <c>ToDataFrame()</c> has every record.
/// </summary>
internal static class RecordsHtml
{
    public static string Render(IReadOnlyList<RunRecord> records, string? heading = null)
    {
        var html = new StringBuilder("<div class=\"sparsitykit-records\">\n");
        var kinds = records.Select(r => r.Kind).Distinct().ToList();
        var seeds = records.Select(r => r.Seed).Distinct().Order().ToList();
        html.Append($"<p>{(heading is null ? "" : heading + " ")}{Html.Count(records.Count)} run{(records.Count == 1 ? "" : "s")}");
        if (records.Count > 0)
            html.Append($" of {kinds.Count} kind{(kinds.Count == 1 ? "" : "s")} ({Html.Encode(string.Join(", ", kinds))}), " +
                $"seed{(seeds.Count == 1 ? "" : "s")} {Html.Encode(string.Join(", ", seeds))}; mean ± std over seeds (ToDataFrame() has every run)");
        html.Append("</p>\n");
        if (records.Count == 0) return html.Append("</div>").ToString();
        var final = RunFrames.Summarise(records);
        var early = RunFrames.Summarise(records, r => r.EarlyStopTestAccuracy);
        bool rounds = records.Any(r => r.Round != 0), targets = records.Any(r => r.TargetSparsity is not null);
        html.Append("<table class=\"sparsitykit-records-summary\">\n<thead><tr><th>kind</th>");
        if (rounds) html.Append("<th>round</th>");
        if (targets) html.Append("<th>target</th>");
        html.Append("<th>sparsity</th><th>weights remaining</th><th>speed-up</th><th>test accuracy</th><th>at early stopping</th><th>seeds</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < final.Count; i++)
        {
            var s = final[i];
            var e = early[i];
            html.Append($"<tr><td>{Html.Encode(s.Kind)}</td>");
            if (rounds) html.Append($"<td>{s.Round}</td>");
            if (targets) html.Append($"<td>{(s.TargetSparsity is { } t ? Html.Percent(t, 0) : "")}</td>");
            html.Append($"<td>{Html.Percent(s.Sparsity)}</td><td>{Html.Percent(s.WeightsRemaining)}</td><td>{SparsityHtml.Ratio(s.Speedup)}</td>" +
                $"<td>{MeanAndSpread(s)}</td><td>{MeanAndSpread(e)}</td><td>{s.Count}</td></tr>\n");
        }
        return html.Append("</tbody>\n</table>\n</div>").ToString();
    }

    // One seed has no spread to show; "± 0.00%" would claim one.
    private static string MeanAndSpread(SeedSummary s) => s.Count > 1 ? $"{Html.Percent(s.Mean)} ± {Html.Percent(s.Std)}" : Html.Percent(s.Mean);

    public static string Render(LotteryResult result) =>
        Render(result.Records, $"Lottery tickets: {Html.Count(result.Computed)} computed now, {Html.Count(result.Loaded)} loaded from the run store;");
}
