using System.Collections.Concurrent;
using System.Diagnostics;

namespace SparsityKit.Experiments;

/// <summary>
/// A lease that says "this process is computing this run", so that several processes (two kernels, a notebook and a
/// headless copy of it, or Slurm tasks on several nodes sharing a folder) split a sweep instead of computing the same
/// run twice. The claim file is created exclusively (O_EXCL), and its owner touches it while the run trains. A claim
/// is taken over when its owner is known to be dead (same host: the process is gone, or its id was recycled) or when
/// it has not been refreshed within the lease timeout (any host: a dead node, a killed job).
/// </summary>
public sealed class RunClaim : IDisposable
{
    // Claims this process holds, by token: a claim of ours is live while it is here, a leftover of ours otherwise.
    private static readonly ConcurrentDictionary<string, byte> HeldTokens = new();
    // When this process first saw each foreign claim in its current state: staleness is measured on our own clock,
    // so hosts whose clocks disagree still agree on whether a claim was refreshed.
    private static readonly ConcurrentDictionary<string, (DateTime Stamp, DateTime SeenAt)> Observed = new();

    // Tries at creating the claim file; an error that persists through all of them (a full disk) is thrown.
    private const int Attempts = 4;

    private readonly string _path;
    private readonly string _token;
    private readonly Timer _refresh;
    private int _disposed;

    private RunClaim(string path, string token, TimeSpan leaseTimeout)
    {
        _path = path;
        _token = token;
        var every = leaseTimeout / 4;
        _refresh = new Timer(_ => Refresh(), null, every, every);
    }

    /// <summary>False once another process has taken the claim over (this one stopped refreshing it in time).</summary>
    public bool Held { get; private set; } = true;

    /// <summary>Claims the run whose claim file is <paramref name="path"/>; null if a live owner holds it.</summary>
    public static RunClaim? TryTake(string path, TimeSpan leaseTimeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var owner = ClaimOwner.Current();
            // Registered before the file exists, so a thread of ours that reads the new claim sees it as held.
            HeldTokens[owner.Token] = 0;
            try
            {
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(owner.ToString());
                    file.Write(bytes);
                    file.Flush(flushToDisk: true);
                }
                return new RunClaim(path, owner.Token, leaseTimeout);
            }
            catch (IOException e) when (IsAlreadyExists(e))
            {
                HeldTokens.TryRemove(owner.Token, out _);
                if (!File.Exists(path)) continue;   // its owner finished between our try and our look: try again
                if (IsHeld(path, leaseTimeout, out var stale)) return null;
                if (!TakeOver(path, stale)) return null;
            }
            catch (IOException) when (attempt < Attempts - 1)
            {
                HeldTokens.TryRemove(owner.Token, out _);   // another error (a full disk): tried again, thrown if it persists
            }
        }
        return null;   // taken and released by others through every try: busy, so let be as if held
    }

    // CreateNew found the file there: EEXIST (17) on Linux and macOS, ERROR_FILE_EXISTS (80) on Windows.
    private static bool IsAlreadyExists(IOException e) => e.GetType() == typeof(IOException) && (e.HResult == 17 || e.HResult == unchecked((int)0x80070050));

    /// <summary>
    /// Removes the claim file if its owner is gone (a run killed after it saved its record, before it let go); keeps a live
    /// one. Returns whether no claim is left.
    /// </summary>
    public static bool RemoveIfStale(string path, TimeSpan leaseTimeout)
    {
        if (!File.Exists(path)) return true;
        return !IsHeld(path, leaseTimeout, out var content) && TakeOver(path, content);
    }

    /// <summary>Whether the claim file exists and its owner is alive (or may be: refreshed within the lease timeout).</summary>
    public static bool IsHeld(string path, TimeSpan leaseTimeout) => IsHeld(path, leaseTimeout, out _);

    private static bool IsHeld(string path, TimeSpan leaseTimeout, out string? content)
    {
        DateTime stamp;
        try
        {
            content = File.ReadAllText(path);
            stamp = File.GetLastWriteTimeUtc(path);
        }
        catch (FileNotFoundException) { content = null; return false; }
        catch (DirectoryNotFoundException) { content = null; return false; }
        var owner = ClaimOwner.Parse(content);
        if (owner is not null && owner.Host == Environment.MachineName)
        {
            if (owner.ProcessId == Environment.ProcessId) return HeldTokens.ContainsKey(owner.Token);
            return owner.IsRunningHere();
        }
        // Another host (or a claim half-written by a writer that died): live while it keeps being refreshed.
        var now = DateTime.UtcNow;
        if (now - stamp > 3 * leaseTimeout) return false;   // not touched for long even allowing for clock skew
        var seen = Observed.AddOrUpdate(path, (stamp, now), (_, old) => old.Stamp == stamp ? old : (stamp, now));
        return now - seen.SeenAt < leaseTimeout;
    }

    // Moves the stale claim aside (only one process can move a given file) and checks it was the one judged stale.
    private static bool TakeOver(string path, string? staleContent)
    {
        DurableFile.RemoveTemporaries(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".stale.*", TimeSpan.FromMinutes(1));
        var aside = $"{path}.stale.{Guid.NewGuid():N}";
        try { File.Move(path, aside); }
        catch (FileNotFoundException) { return true; }   // its owner finished, or another process moved it: try again
        if (File.ReadAllText(aside) != staleContent)
        {
            // Between our look and the move, someone else took it over and claimed it afresh: give it back.
            try { File.Move(aside, path); } catch (IOException) { }
            return false;
        }
        File.Delete(aside);
        Observed.TryRemove(path, out _);
        return true;
    }

    private void Refresh()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        try
        {
            if (ClaimOwner.Parse(File.ReadAllText(_path))?.Token != _token) { Held = false; return; }
            File.SetLastWriteTimeUtc(_path, DateTime.UtcNow);
        }
        catch (IOException) { Held = false; }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _refresh.Dispose();
        HeldTokens.TryRemove(_token, out _);
        try
        {
            if (ClaimOwner.Parse(File.ReadAllText(_path))?.Token == _token) File.Delete(_path);
        }
        catch (IOException) { }
    }
}

/// <summary>Who holds a claim: host, process id, that process's start time (to see a recycled id) and a unique token.</summary>
internal sealed record ClaimOwner(string Host, int ProcessId, long StartTicks, string Token)
{
    public static ClaimOwner Current()
    {
        using var self = Process.GetCurrentProcess();
        return new(Environment.MachineName, Environment.ProcessId, self.StartTime.ToUniversalTime().Ticks, Guid.NewGuid().ToString("N"));
    }

    public static ClaimOwner? Parse(string content)
    {
        var parts = content.Trim().Split(' ');
        return parts.Length == 4 && int.TryParse(parts[1], out int pid) && long.TryParse(parts[2], out long ticks)
            ? new(parts[0], pid, ticks, parts[3]) : null;
    }

    /// <summary>Whether this owner's process still runs on this host (the same process, not a later one with its id).</summary>
    public bool IsRunningHere()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            // Start times are derived from the boot time, which each process computes with some jitter: allow 2 s.
            // A recycled id belongs to a process started long after (the id space must wrap around first).
            return !process.HasExited && Math.Abs(process.StartTime.ToUniversalTime().Ticks - StartTicks) < TimeSpan.TicksPerSecond * 2;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public override string ToString() => $"{Host} {ProcessId} {StartTicks} {Token}";
}
