using System.Diagnostics;
using SparsityKit.Tests.Clusters;

namespace SparsityKit.Tests.Experiments;

/// <summary>
/// scripts/continue-replications.sh with a stand-in <c>dotnet</c> first on PATH, whose <c>run</c> exits with the codes it
/// is given in turn: the script starts the app again after a crash, gives up on an app that fails at once, and works
/// through a list of notebooks in order.
/// </summary>
public class ContinueReplicationsScriptTests
{
    [Fact]
    public void An_app_that_crashes_is_started_again_until_it_finishes()
    {
        var (exit, output, log, runs) = Run(exitCodes: [134, 134, 0]);
        Assert.Equal(0, exit);
        Assert.Equal(3, runs);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("exited with 134; starting it again")));
        Assert.Equal(2, log.Split('\n').Count(l => l.Contains("exited with 134; starting it again")));   // the process's log too
    }

    [Fact]
    public void An_app_that_fails_at_once_three_times_is_given_up_with_an_error()
    {
        var (exit, output, _, runs) = Run(exitCodes: [1, 1, 1, 1, 1]);
        Assert.Equal(1, exit);
        Assert.Equal(3, runs);
        Assert.Contains("failed three times within a minute of starting", output);
    }

    [Fact]
    public void A_list_of_notebooks_is_worked_through_in_order_each_worker_moving_on_when_one_finishes()
    {
        var (exit, output, _, runs, apps) = RunWithApps(exitCodes: [134, 0, 0], "--notebook 02,07 --hours 0.05");
        Assert.Equal(0, exit);
        Assert.Equal(3, runs);
        Assert.Equal(["02-lottery-tickets.cs", "02-lottery-tickets.cs", "07-beyond-mnist.cs"], apps);   // 02 again after its crash, then 07
        Assert.Contains("results/notebooks/02-lottery-tickets:", output);
        Assert.Contains("results/notebooks/07-beyond-mnist:", output);
    }

    [Theory]
    [InlineData("--notebook 02,05", "must be 02, 06, 07 or 08")]
    [InlineData("--notebook 02,02", "listed twice")]
    [InlineData("--notebook 05", "must be 02, 06, 07 or 08")]
    [InlineData("--processes 0", "whole number from 1")]
    [InlineData("--hours soon", "number of hours")]
    public void Bad_settings_are_refused_naming_the_setting(string arguments, string message)
    {
        var (exit, output, _, runs) = Run([0], arguments);
        Assert.Equal(2, exit);
        Assert.Contains(message, output);
        Assert.Equal(0, runs);
    }

    // Runs the script from a scratch copy of the repository layout it needs, with a stand-in dotnet.
    private static (int Exit, string Output, string Log, int Runs) Run(int[] exitCodes, string arguments = "--notebook 02 --hours 0.05")
    {
        var (exit, output, log, runs, _) = RunWithApps(exitCodes, arguments);
        return (exit, output, log, runs);
    }

    // The same, with the apps the stand-in was asked to run, in order.
    private static (int Exit, string Output, string Log, int Runs, string[] Apps) RunWithApps(int[] exitCodes, string arguments)
    {
        var root = TestFiles.TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(root, "scripts"));
        File.Copy(Path.Combine(LocalSlurm.RepositoryRoot(), "scripts", "continue-replications.sh"), Path.Combine(root, "scripts", "continue-replications.sh"));
        var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        File.WriteAllLines(Path.Combine(root, "codes"), exitCodes.Select(c => c.ToString()));
        // "build" succeeds; each "run" takes the next exit code and counts itself.
        File.WriteAllText(Path.Combine(bin, "dotnet"), $$"""
            #!/usr/bin/env bash
            [ "$1" = build ] && exit 0
            n=$(cat "{{root}}/runs" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "{{root}}/runs"
            basename "${@: -1}" >> "{{root}}/apps"
            exit $(sed -n "${n}p" "{{root}}/codes")
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("bash", $"scripts/continue-replications.sh {arguments}")
        {
            WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the script did not end");
        var runsFile = Path.Combine(root, "runs");
        int runs = File.Exists(runsFile) ? int.Parse(File.ReadAllText(runsFile).Trim()) : 0;
        string log = string.Join("\n", Directory.Exists(Path.Combine(root, "artifacts", "replications"))
            ? Directory.GetFiles(Path.Combine(root, "artifacts", "replications")).Select(File.ReadAllText) : []);
        var appsFile = Path.Combine(root, "apps");
        string[] apps = File.Exists(appsFile) ? File.ReadAllLines(appsFile) : [];
        return (process.ExitCode, output.Result + errors.Result, log, runs, apps);
    }
}
