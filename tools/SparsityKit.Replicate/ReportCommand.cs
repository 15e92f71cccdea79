using SparsityKit.Experiments.Replication;

/// <summary>
/// Writes the replication report (every claim against the finished stores; trains nothing) as Markdown:
/// <c>report [--quick] [--results DIR] [--output FILE]</c>, by default the full stores under results/ to docs/replication-report.md.
/// </summary>
static class ReportCommand
{
    public static int Run(string[] args)
    {
        bool quick = false;
        string results = "results", output = "";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--results" when i + 1 < args.Length: results = args[++i]; break;
                case "--output" when i + 1 < args.Length: output = args[++i]; break;
                default:
                    Console.Error.WriteLine($"error: report: unknown option '{args[i]}'; use --quick, --results DIR (default results) or --output FILE.");
                    return 2;
            }
        }
        if (!Directory.Exists(results))
        {
            Console.Error.WriteLine($"error: report: no results folder '{Path.GetFullPath(results)}'; run from the repository root or pass --results DIR.");
            return 2;
        }
        if (output.Length == 0) output = quick ? "artifacts/replication-report-quick.md" : "docs/replication-report.md";
        var report = ReplicationReport.Read(results, quick);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report.ToMarkdown());
        Console.WriteLine($"{report.Rows.Count} claims ({report.Tally}) from {report.Stores.Count(s => s.Exists)} of {report.Stores.Count} stores; wrote {output}");
        return 0;
    }
}
