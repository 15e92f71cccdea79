using SparsityKit.Training;

namespace SparsityKit.Interactive;

/// <summary>
/// What the live progress display shows. <paramref name="Key"/> is the same for every update of one bar and is
/// written into the HTML (<c>data-sparsitykit-progress</c>), so that a headless run, which stores each update as an
/// output of its own, can keep only the last one (scripts/collapse-progress.py).
/// </summary>
internal sealed record ProgressView(string Key, TrainingProgress Progress)
{
    public string ToHtml()
    {
        var p = Progress;
        bool done = p.Step >= p.TotalSteps;
        string accuracy = p.TestAccuracy is { } a ? $" · test accuracy {Html.Percent(a)}" : "";
        string time = done
            ? $"done in {Html.Duration(p.Elapsed)}"
            : $"{Html.Duration(p.Elapsed)} elapsed, about {Html.Duration(Remaining(p))} left";
        return $"""
            <div class="sparsitykit-progress" data-sparsitykit-progress="{Html.Encode(Key)}" style="font-family: monospace">
            <b>{Html.Encode(p.RunName)}</b> <progress value="{p.Step}" max="{Math.Max(p.TotalSteps, 1)}" style="width: 16em; vertical-align: middle"></progress>
            {Html.Count(p.Step)}/{Html.Count(p.TotalSteps)} steps ({Html.Percent(p.Fraction, 0)}) · loss {Html.Number(p.TrainLoss)}{accuracy} · {p.StepsPerSecondText} steps/s · {time}
            </div>
            """;
    }

    public override string ToString() => Progress.ToString();

    private static TimeSpan Remaining(TrainingProgress p) =>
        p.StepsPerSecond > 0 ? TimeSpan.FromSeconds((p.TotalSteps - p.Step) / p.StepsPerSecond) : TimeSpan.Zero;
}
