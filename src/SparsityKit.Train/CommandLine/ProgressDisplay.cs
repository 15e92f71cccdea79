// Training progress on the command line: Spectre.Console's live bar when standard output is a terminal, plain lines
// (ConsoleProgress) when it is redirected, so pipes, log files and CI logs carry no ANSI codes. The global option
// --progress auto|bar|lines overrides the choice.
using System.CommandLine;
using SparsityKit.Training;
using Spectre.Console;

namespace SparsityKit.Train.CommandLine;

public static class ProgressDisplay
{
    public const string OptionName = "--progress";

    /// <summary>The global --progress option (on the root, recursive: every subcommand takes it).</summary>
    public static Option<ProgressStyle> CreateOption() => new(OptionName)
    {
        Description = "Training progress: auto (a live bar on a terminal, plain lines when output is redirected), bar or lines",
        Recursive = true,
        HelpName = "auto|bar|lines",
    };

    /// <summary>The style the command line asks for (auto where the option is absent).</summary>
    public static ProgressStyle StyleOf(ParseResult result) =>
        result.GetResult(OptionName) is null ? ProgressStyle.Auto : result.GetValue<ProgressStyle>(OptionName);

    /// <summary>Whether to draw the live bar: forced, or auto on an interactive terminal that is not dumb.</summary>
    public static bool UsesBar(ProgressStyle style, bool outputRedirected, string? term) => style switch
    {
        ProgressStyle.Bar => true,
        ProgressStyle.Lines => false,
        _ => !outputRedirected && term != "dumb",
    };

    /// <summary>Whether to draw the live bar for this process's standard output.</summary>
    public static bool UsesBar(ProgressStyle style) =>
        UsesBar(style, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("TERM"));

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink: the live bar (lines the work prints show above it) or plain
    /// lines at most one per <paramref name="lineInterval"/> (2 s by default).
    /// </summary>
    public static T Run<T>(ProgressStyle style, Func<IProgress<TrainingProgress>, T> work, TimeSpan? lineInterval = null)
    {
        if (!UsesBar(style)) return work(new ConsoleProgress(lineInterval));
        return RunWithBar(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }), work);
    }

    /// <summary>Runs <paramref name="work"/> under a live bar on <paramref name="console"/>; what it prints shows above the bar.</summary>
    public static T RunWithBar<T>(IAnsiConsole console, Func<IProgress<TrainingProgress>, T> work)
    {
        var original = Console.Out;
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                // What the work prints goes through Spectre, which draws it above the live bar instead of through it.
                using var lines = new LineWriter(line => console.WriteLine(line));
                Console.SetOut(lines);
                try { return work(new TerminalProgress(context)); }
                finally { Console.SetOut(original); }
            });
    }
}
