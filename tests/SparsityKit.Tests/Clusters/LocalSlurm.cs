using System.Diagnostics;

namespace SparsityKit.Tests.Clusters;

/// <summary>
/// The local single-node Slurm the cluster tests submit to (scripts/local-slurm.sh; test.sh starts it). If it is not
/// up, the first test starts it; if it cannot start, the tests fail with the script's error (they never skip).
/// </summary>
internal static class LocalSlurm
{
    private static readonly Lazy<string?> Problem = new(Start);

    public static void EnsureUp()
    {
        if (Problem.Value is { } problem) Assert.Fail($"The local Slurm is not running and could not be started: {problem}");
    }

    /// <summary>Runs a command; returns exit code and output (stdout and stderr).</summary>
    public static (int Code, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e) { return (127, $"{command}: {e.Message}"); }
    }

    private static string? Start()
    {
        if (Run("scontrol", "ping").Output.Contains("UP")) return null;
        var script = Path.Combine(RepositoryRoot(), "scripts", "local-slurm.sh");
        var (code, output) = Run("bash", script, "start");
        return code == 0 ? null : $"bash {script} start exited {code}: {output}";
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "local-slurm.sh"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No scripts/local-slurm.sh above {AppContext.BaseDirectory}.");
    }
}
