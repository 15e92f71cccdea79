// Parses and runs a command line: a parse error or a bad value prints "error: ..." naming the option and the fix, and
// exits 2 (a usage error); a failure while running prints its message and exits 2 for bad input, 1 for the rest.
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using SparsityKit.Data;

namespace SparsityKit.Train.CommandLine;

public static class Cli
{
    /// <summary>Exit code of a command line that cannot run as written (bad option, bad value, unknown name).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a command that started and failed (a file missing or damaged, a job that failed).</summary>
    public const int Failure = 1;

    public static int Invoke(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is ParseErrorAction)
        {
            foreach (var message in result.Errors.Select(e => e.Message).Distinct()) error.WriteLine($"error: {message}");
            error.WriteLine($"See '{CommandPath(result.CommandResult)} --help' for the options.");
            return UsageError;
        }
        try
        {
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error });
        }
        catch (Exception e) when (e is ArgumentException or FormatException or DataFileException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return Failure;
        }
    }

    /// <summary>"SparsityKit.Train replicate lottery": the words that name a command, for messages.</summary>
    public static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is not null; r = r.Parent)
            if (r is CommandResult c) names.Insert(0, c.Command is RootCommand ? "SparsityKit.Train" : c.Command.Name);
        return string.Join(' ', names);
    }
}
