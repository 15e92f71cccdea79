using System.Net;
using System.Text;

namespace SparsityKit.Clusters;

/// <summary>One array task's state, from <c>squeue</c> (live and recently finished tasks) or <c>sacct</c>.</summary>
/// <param name="Index">The array index.</param>
/// <param name="State">Slurm's state: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, REQUEUED..., or UNKNOWN.</param>
/// <param name="Detail">Where it runs, or why it waits.</param>
public sealed record TaskStatus(int Index, string State, string Detail)
{
    public bool IsActive => State is "PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESIZING" or "SUSPENDED";

    public bool Failed => State is "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL" or "OUT_OF_MEMORY" or "BOOT_FAIL" or "DEADLINE" or "PREEMPTED";
}

/// <summary>A job array's tasks and the store's progress on its plan, e.g. for a live display in a notebook.</summary>
public sealed record ClusterStatus(SlurmJob Job, IReadOnlyList<TaskStatus> Tasks, int RunsDone, int RunsPlanned, DateTime Time)
{
    public bool IsComplete => RunsDone >= RunsPlanned;

    /// <summary>No task is pending or running any more (tasks that Slurm has forgotten, UNKNOWN, count as ended).</summary>
    public bool TasksEnded => Tasks.All(t => !t.IsActive);

    public override string ToString()
    {
        var counts = Tasks.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}");
        return $"job {Job.JobId} ({Job.Plan.Experiment}): runs {RunsDone}/{RunsPlanned} done; tasks: {string.Join(", ", counts)}";
    }

    /// <summary>An HTML table (one row per task) under a progress bar, for notebooks.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        double fraction = RunsPlanned == 0 ? 1 : (double)RunsDone / RunsPlanned;
        html.Append($"<div><b>job {WebUtility.HtmlEncode(Job.JobId)}</b> ({WebUtility.HtmlEncode(Job.Plan.Experiment)}): runs {RunsDone} / {RunsPlanned} done ");
        html.Append($"<progress value=\"{RunsDone}\" max=\"{RunsPlanned}\"></progress> {fraction:P0}, at {Time:HH:mm:ss} UTC</div>");
        html.Append("<table><tr><th>task</th><th>state</th><th>node / reason</th></tr>");
        foreach (var t in Tasks)
            html.Append($"<tr><td>{t.Index}</td><td>{WebUtility.HtmlEncode(t.State.ToLowerInvariant())}</td><td>{WebUtility.HtmlEncode(t.Detail)}</td></tr>");
        return html.Append("</table>").ToString();
    }
}
