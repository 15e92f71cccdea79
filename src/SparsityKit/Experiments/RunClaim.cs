using System.Diagnostics;

namespace SparsityKit.Experiments;

/// <summary>
/// A marker file that says "this process is computing this run", so that several processes (two kernels, or a
/// notebook and a headless copy of it) can share one <see cref="RunStore"/> and split a sweep between them instead
/// of computing the same runs twice. A claim left behind by a process that died is taken over.
/// </summary>
public sealed class RunClaim : IDisposable
{
    private readonly string _path;

    private RunClaim(string path) => _path = path;

    /// <summary>The owner written into a claim: machine and process id.</summary>
    public static string CurrentOwner => $"{Environment.MachineName} {Environment.ProcessId}";

    /// <summary>Claims the run whose claim file is <paramref name="path"/>; null if a live process holds it.</summary>
    public static RunClaim? TryTake(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            // Written aside and moved into place (which fails if the claim exists), so no one reads a half-written claim.
            var aside = $"{path}.{Guid.NewGuid():N}";
            File.WriteAllText(aside, CurrentOwner);
            try
            {
                File.Move(aside, path, overwrite: false);
                return new RunClaim(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(aside);
                if (IsHeldByLiveProcess(path)) return null;
                File.Delete(path);   // its owner died: take the run over
            }
        }
        return null;
    }

    /// <summary>
    /// Whether the claim file exists and names a process that is still running. A claim from another machine
    /// (a shared folder) is trusted as live, since its process cannot be checked from here.
    /// </summary>
    public static bool IsHeldByLiveProcess(string path)
    {
        string owner;
        try { owner = File.ReadAllText(path).Trim(); }
        catch (FileNotFoundException) { return false; }
        var parts = owner.Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[1], out int pid)) return false;
        if (parts[0] != Environment.MachineName) return true;
        if (pid == Environment.ProcessId) return false;   // a claim of ours that a crash left behind
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }

    public void Dispose() => File.Delete(_path);
}
