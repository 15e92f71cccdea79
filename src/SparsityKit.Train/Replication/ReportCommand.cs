// The "replicate report" command: the replication report (each published claim against the finished run stores; it
// trains nothing) as Markdown, by default the full stores under results/ to docs/replication-report.md.
using System.CommandLine;
using SparsityKit.Experiments.Replication;
using SparsityKit.Train.CommandLine;

namespace SparsityKit.Train.Replication;

public static class ReportCommand
{
    public static Command Create()
    {
        var quick = Options.Flag("--quick", "Read the notebooks' quick stores instead of the full ones");
        var results = Options.Text("--results", "The folder holding the run stores (default results)", "DIR");
        var output = Options.Text("--output",
            "The Markdown file to write (default docs/replication-report.md; with --quick, artifacts/replication-report-quick.md)", "FILE");
        var command = new Command("report", "The replication report: every claim against the finished run stores, as Markdown (trains nothing)")
            { quick, results, output };
        command.SetAction(result => Write(result.GetValue(quick), result.GetValue(results) ?? "results", result.GetValue(output)));
        return command;
    }

    private static int Write(bool quick, string results, string? output)
    {
        if (!Directory.Exists(results))
        {
            Console.Error.WriteLine($"error: --results: no folder '{Path.GetFullPath(results)}'; run from the repository root or pass --results DIR.");
            return 2;
        }
        output ??= quick ? "artifacts/replication-report-quick.md" : "docs/replication-report.md";
        var report = ReplicationReport.Read(results, quick);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report.ToMarkdown());
        Console.WriteLine($"{report.Rows.Count} claims ({report.Tally}) from {report.Stores.Count(s => s.Exists)} of {report.Stores.Count} stores; wrote {output}");
        return 0;
    }
}
