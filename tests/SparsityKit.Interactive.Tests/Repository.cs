using System.Diagnostics;

namespace SparsityKit.Interactive.Tests;

/// <summary>The repository the tests run in, and its scripts.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Runs <c>bash script args</c> (<c>python3</c> for a .py script) in the repository root; returns its exit code and its output (stdout and stderr).</summary>
    public static (int ExitCode, string Output) RunScript(string script, TimeSpan timeout, params string[] args) =>
        RunScript(script, timeout, new Dictionary<string, string?>(), args);

    /// <summary>As above, with environment variables set (a null value removes the variable).</summary>
    public static (int ExitCode, string Output) RunScript(string script, TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(script.EndsWith(".py", StringComparison.Ordinal) ? "python3" : "bash") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name); else start.Environment[name] = value;
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{script} timed out after {timeout}:\n{output}");
        }
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SparsityKit.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No SparsityKit.sln above {AppContext.BaseDirectory}.");
    }
}
