using Microsoft.DotNet.Interactive;
using SparsityKit.Clusters;
using SparsityKit.Experiments;

namespace SparsityKit.Interactive;

/// <summary>
/// Watches a job array from a notebook cell: one live output (each task's state from squeue/sacct, and the runs done
/// of the runs planned, counted by the plan's run keys) replaced in place as it changes, and the records once the plan
/// is complete: <c>var records = await job.WatchAsync();</c>. Outside a kernel (a console program, a headless run
/// without a cell) it prints a line per change instead.
/// </summary>
public static class ClusterWatch
{
    /// <summary>
    /// Waits for <paramref name="job"/>'s plan to complete, showing its status live, and returns the records in the
    /// order of the plan's own <c>Run</c>. Throws as <see cref="Cluster.Wait"/> does when every task ended with runs missing.
    /// </summary>
    public static async Task<IReadOnlyList<RunRecord>> WatchAsync(this SlurmJob job, TimeSpan? poll = null, TimeSpan? timeout = null,
        CancellationToken cancellation = default)
    {
        var view = new StatusView(KernelInvocationContext.Current);
        return await Cluster.WaitAsync(job, view.Show, poll, timeout, cancellation);
    }

    /// <summary><see cref="WatchAsync"/>, blocking (for code that cannot await).</summary>
    public static IReadOnlyList<RunRecord> Watch(this SlurmJob job, TimeSpan? poll = null, TimeSpan? timeout = null) =>
        WatchAsync(job, poll, timeout).GetAwaiter().GetResult();

    // One output per watch, updated only when the status says something new (a headless runner keeps every update).
    private sealed class StatusView(KernelInvocationContext? context)
    {
        private readonly string _key = Guid.NewGuid().ToString("N");
        private LiveDisplay? _display;
        private string _last = "";

        public void Show(ClusterStatus status)
        {
            string line = status.ToString();
            if (line == _last) return;
            _last = line;
            if (context is null)
            {
                Console.WriteLine($"{status.Time:HH:mm:ss} {line}");
                return;
            }
            var view = new ClusterView(_key, status);
            if (_display is null) _display = LiveDisplay.Show(context, view, "text/html", "text/plain");
            else _display.Update(view);
        }
    }
}

/// <summary>
/// What the live cluster display shows: the status's HTML inside an element that carries <paramref name="Key"/>
/// (<c>data-sparsitykit-progress</c>), the same for every update of one watch, so that a headless run keeps only the last.
/// </summary>
internal sealed record ClusterView(string Key, ClusterStatus Status)
{
    public string ToHtml() => $"<div class=\"sparsitykit-cluster\" data-sparsitykit-progress=\"{Html.Encode(Key)}\">{Status.ToHtml()}</div>";

    public override string ToString() => Status.ToString();
}
