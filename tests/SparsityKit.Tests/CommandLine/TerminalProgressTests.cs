using SparsityKit.Train.CommandLine;
using SparsityKit.Training;
using Spectre.Console.Testing;

namespace SparsityKit.Tests.CommandLine;

/// <summary>The live bar the command line draws on a terminal (Spectre.Console), on a test console that takes ANSI codes.</summary>
public class TerminalProgressTests
{
    [Fact]
    public void Each_run_gets_a_bar_that_ends_full_and_what_the_run_prints_shows_beside_it()
    {
        using var console = new TestConsole().Interactive().EmitAnsiSequences().Width(120);
        var original = Console.Out;
        int result = ProgressDisplay.RunWithBar(console, progress =>
        {
            progress.Report(new TrainingProgress("magnitude", 5, 10, 0.5, null, TimeSpan.FromSeconds(1)));
            Console.WriteLine("a line the run prints");
            progress.Report(new TrainingProgress("magnitude", 10, 10, 0.25, 0.9, TimeSpan.FromSeconds(2)));
            progress.Report(new TrainingProgress("rigl", 10, 10, 0.375, 0.8, TimeSpan.FromSeconds(2)));
            return 7;
        });
        Assert.Equal(7, result);
        Assert.Same(original, Console.Out);   // the program's own output is back once the bar is done
        string output = console.Output;
        Assert.Contains('\u001b', output);   // drawn with ANSI codes, as on a terminal
        Assert.Contains("a line the run prints", output);
        Assert.Contains("magnitude  loss 0.2500", output);
        Assert.Contains("rigl  loss 0.3750", output);
        Assert.Contains("100%", output);
    }
}
