// Generated from notebooks/09-replication-report.ipynb by scripts/notebook-apps.py: do not edit; change the notebook and
// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart
// as an offline HTML page to artifacts/apps/09-replication-report/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).
//   dotnet run -c Release notebooks/apps/09-replication-report.cs                          quick mode
//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/09-replication-report.cs    the papers' settings
// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)
// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.
#:project ../../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

using SparsityKit.Data;
using SparsityKit.Experiments.Replication;
using System.IO;
using static SparsityKit.Analysis.AppOutput;

Begin(chartFolder: "../../artifacts/apps/09-replication-report", dataFolder: "../../data");

// Cell 3
// Parameters: "quick" (the default) or "full"; SPARSITYKIT_MODE overrides the default.
var Mode = Environment.GetEnvironmentVariable("SPARSITYKIT_MODE") is { Length: > 0 } modeVariable ? modeVariable : "quick";

// Cell 4
bool quick = Mode.Trim().ToLowerInvariant() switch
{
    "quick" => true,
    "full" => false,
    _ => throw new ArgumentException($"Mode must be quick or full, not '{Mode}'."),
};
// The repository's results/ folder, beside its data/ folder: notebooks 02, 06, 07 and 08 keep their stores in
// results/notebooks/, the replication tool in results/replication/.
var repository = Path.GetFullPath(Path.Combine(DataDirectory.Locate(), ".."));
var report = ReplicationReport.Read(Path.Combine(repository, "results"), quick);
Show($"{(quick ? "Quick" : "Full")} mode: {report.Rows.Count} claims; {report.Tally}.", cell: 4);

// Cell 5
Show(report.StoresFrame(), cell: 5);

// Cell 6
Show(VerdictRule.Text, cell: 6);

// Cell 7
Show(report.ToDataFrame(), cell: 7);

// Cell 8
var markdown = Path.Combine(repository, quick ? "artifacts/replication-report-quick.md" : "docs/replication-report.md");
Directory.CreateDirectory(Path.GetDirectoryName(markdown)!);
File.WriteAllText(markdown, report.ToMarkdown());
Show($"Wrote {Path.GetRelativePath(repository, markdown)}: {report.Rows.Count} claims.", cell: 8);
