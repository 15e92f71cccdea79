using SparsityKit.Training;

namespace SparsityKit.Interactive;

/// <summary>A training run as HTML: a one-paragraph summary, then its history table.</summary>
internal static class TrainingRunHtml
{
    public static string Render(TrainingRun run)
    {
        var config = run.Config;
        double stepsPerSecond = run.Elapsed.TotalSeconds > 0 ? config.Steps / run.Elapsed.TotalSeconds : 0;
        var early = run.EarlyStopping;
        string earlyBy = early.ValidationLoss is null ? "test" : "validation";
        string snapshots = run.Snapshots.Count == 0 ? "none" : string.Join(", ", run.Snapshots.Keys.Order().Select(Html.Count));
        return $"""
            <div class="sparsitykit-run">
            <p><b>{Html.Encode(run.Name)}</b>: {Html.Count(config.Steps)} steps in {Html.Number(run.Elapsed.TotalSeconds, 1)} s ({Html.Number(stepsPerSecond, 0)} steps/s);
            final test accuracy <b>{Html.Percent(run.TestAccuracy)}</b> (test loss {Html.Number(run.Final.TestLoss)}).
            Lowest {earlyBy} loss at step {Html.Count(early.Step)} with test accuracy {Html.Percent(early.TestAccuracy)}.</p>
            <p style="font-size: smaller">method {Html.Encode(run.Method?.Name ?? "none (dense)")}; {Html.Encode(config.Optimizer.ToString())}, batch {config.BatchSize},
            learning rate {Html.Encode(Describe(config.Schedule))}; snapshots at steps: {snapshots}</p>
            {HistoryHtml.Table(run.History)}
            </div>
            """;
    }

    // Records print every property (IsConstant included); a short name reads better in a one-line summary.
    private static string Describe(LearningRateSchedule schedule)
    {
        string name = schedule switch
        {
            ConstantRate => "constant",
            CosineDecay c => c.FinalFactor == 0 ? "cosine decay to 0" : $"cosine decay to {c.FinalFactor:G3}x",
            StepDecay s => $"x{s.Gamma:G3} at steps {string.Join(", ", s.Milestones.Select(Html.Count))}",
            _ => schedule.GetType().Name,
        };
        return schedule.WarmupSteps > 0 ? $"{name} after {Html.Count(schedule.WarmupSteps)} warm-up steps" : name;
    }
}
