namespace SparsityKit.Interactive.Tests;

/// <summary>The notebooks' file-based-app twins: generated from the notebooks, and two of them run as users run them.</summary>
public sealed class AppTests
{
    [Fact]
    public void The_apps_are_generated_from_the_current_notebooks()
    {
        var (exitCode, log) = Repository.RunScript("scripts/notebook-apps.py", TimeSpan.FromMinutes(1), "--check");
        Assert.True(exitCode == 0, $"notebooks/apps is out of date with notebooks/ (run python3 scripts/notebook-apps.py):\n{log}");
        foreach (var notebook in Directory.GetFiles(Repository.PathOf("notebooks"), "*.ipynb"))
        {
            var app = Repository.PathOf("notebooks", "apps", Path.GetFileNameWithoutExtension(notebook) + ".cs");
            Assert.True(File.Exists(app), $"no app for {notebook}");
            Assert.StartsWith("// Generated from notebooks/", File.ReadAllText(app));
        }
    }

    [Fact]
    public void The_tour_and_the_state_of_sparsity_run_as_apps_print_their_tables_write_their_charts_and_wait_passively()
    {
        // No OMP_WAIT_POLICY from outside (test.sh sets one): the library must set it before libtorch loads, which
        // libgomp confirms by printing its settings (GOMP_SPINCOUNT 0 is the passive policy; unset it is 300000).
        var environment = new Dictionary<string, string?> { ["OMP_WAIT_POLICY"] = null, ["OMP_DISPLAY_ENV"] = "verbose", ["SPARSITYKIT_MODE"] = null };
        var (exitCode, log) = Repository.RunScript("scripts/run-apps.sh", TimeSpan.FromMinutes(8), environment,
            "--no-setup", "notebooks/apps/00-tour.cs", "notebooks/apps/06-state-of-sparsity.cs");
        Assert.True(exitCode == 0, $"scripts/run-apps.sh exited {exitCode}:\n{log}");
        Assert.Contains("apps: 2 ran without error, 0 failed (quick mode", log);
        Assert.Contains("GOMP_SPINCOUNT = '0'", log);
        Assert.DoesNotContain("GOMP_SPINCOUNT = '300000'", log);

        Assert.Matches(@"Run\s+Step\s+TrainLoss\s+TestLoss\s+TestAccuracy", log);   // the tour's history as a table
        Assert.Matches(@"constant rate\s+600\s+[\d.]+\s+[\d.]+\s+\d\d\.\d\d%", log);
        Assert.Single(Directory.GetFiles(Repository.PathOf("artifacts", "apps", "00-tour"), "cell-*.html"));
        Assert.Equal(2, Directory.GetFiles(Repository.PathOf("artifacts", "apps", "06-state-of-sparsity"), "cell-*.html").Length);
        Assert.Contains("24 runs; mean and spread over seeds", log);
        Assert.Matches(@"L0\s+0\s+50\.00%", log);   // every method at its target in the summary
        var chart = File.ReadAllText(Directory.GetFiles(Repository.PathOf("artifacts", "apps", "00-tour"), "cell-*.html").Single());
        Assert.Contains("embedded by SparsityKit", chart);
    }
}
