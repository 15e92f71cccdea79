using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace SparsityKit.Experiments.Replication;

/// <summary>
/// Every claim the kit replicates, checked against the finished run stores: Frankle and Carbin's Figure 3 statements,
/// Liu et al.'s scratch training, Molchanov et al.'s SparseVD numbers, Zhu and Gupta's gradual pruning, Gale et al.'s
/// orderings (on LeNet-300-100, and beyond MNIST from notebook 07) and Evci et al.'s RigL orderings (notebook 08). Each
/// row gives the published statement, the kit's number with its spread over trials, and a verdict computed from the
/// records by <see cref="VerdictRule"/>. It only reads: a missing store makes its claims "not run".
/// </summary>
public sealed class ReplicationReport
{
    /// <summary>Notebook 06's store: magnitude and random pruning every 0.5% of training, the schedule search's choice.</summary>
    public const string StateOfSparsityStore = "06-state-of-sparsity-every-0.5pct";

    private ReplicationReport(string mode, IReadOnlyList<ReportStore> stores, IReadOnlyList<ClaimRow> rows) =>
        (Mode, Stores, Rows) = (mode, stores, rows);

    public string Mode { get; }
    public IReadOnlyList<ReportStore> Stores { get; }
    public IReadOnlyList<ClaimRow> Rows { get; }

    /// <summary>
    /// Reads the stores under <paramref name="resultsFolder"/> (the repository's results/): in quick mode the quick stores
    /// of notebooks 02, 06, 07 and 08, in full mode their full stores and the replication tool's (results/replication).
    /// </summary>
    public static ReplicationReport Read(string resultsFolder, bool quick)
    {
        string suffix = quick ? "-quick" : "";
        var lottery = ReportStore.Read("notebook 02: lottery tickets", resultsFolder, $"notebooks/02-lottery-tickets{suffix}", "lenet300-lottery");
        var sweep = ReportStore.Read("notebook 06: state of sparsity", resultsFolder, $"notebooks/{StateOfSparsityStore}{suffix}", "state-of-sparsity");
        var toolLottery = quick ? null : ReportStore.Read("replication tool: lottery", resultsFolder, "replication", "lenet300-lottery");
        var pruning = quick ? ReportStore.NotRead("replication tool: pruning comparison (full mode only)", "replication")
            : ReportStore.Read("replication tool: pruning comparison", resultsFolder, "replication", "pruning-comparison");
        var dynamicSparsity = ReportStore.Read("notebook 08: dynamic and early sparsity", resultsFolder,
            $"notebooks/08-dynamic-and-early-sparsity{suffix}", "dynamic-and-early-sparsity");
        (ReportStore, string)[] beyondMnist =
        [
            (ReportStore.Read("notebook 07: ResNet-20 on Fashion-MNIST", resultsFolder, $"notebooks/07-beyond-mnist{suffix}", "resnet20 fashion-mnist"), "ResNet-20 on Fashion-MNIST"),
            (ReportStore.Read("notebook 07: ViT-small on MNIST", resultsFolder, $"notebooks/07-beyond-mnist{suffix}", "vit-small mnist"), "ViT-small on MNIST"),
        ];
        return Evaluate(quick ? "quick" : "full", lottery, sweep, pruning, toolLottery, dynamicSparsity, beyondMnist);
    }

    /// <summary>The report of the given stores' records (hand-made ones in tests).</summary>
    /// <param name="dynamicSparsity">Notebook 08's store (Evci et al.'s claims); none: those rows are left out.</param>
    /// <param name="beyondMnist">Notebook 07's experiments, each with what it trains in words; none: those rows are left out.</param>
    public static ReplicationReport Evaluate(string mode, ReportStore lottery, ReportStore sweep, ReportStore pruning, ReportStore? toolLottery = null,
        ReportStore? dynamicSparsity = null, IReadOnlyList<(ReportStore Store, string ModelAndData)>? beyondMnist = null)
    {
        var rows = new List<ClaimRow>();
        rows.AddRange(Claims.FrankleCarbin(lottery));
        // The tool's 5,000-step lottery is an optional second reading of the claims notebook 02 states at the paper's settings:
        // its rows appear only when it has runs, instead of a "not run" for each.
        if (toolLottery is { Records.Count: > 0 }) rows.AddRange(Claims.FrankleCarbin(toolLottery));
        rows.AddRange(Claims.Liu(lottery));
        rows.AddRange(Claims.Molchanov(sweep));
        rows.AddRange(Claims.ZhuGupta(pruning));
        rows.AddRange(Claims.Gale(sweep, lottery));
        foreach (var (store, modelAndData) in beyondMnist ?? []) rows.AddRange(Claims.GaleBeyondMnist(store, modelAndData));
        if (dynamicSparsity is not null) rows.AddRange(Claims.Evci(dynamicSparsity));
        var stores = new[] { lottery, sweep, pruning }.Concat(toolLottery is null ? [] : [toolLottery])
            .Concat((beyondMnist ?? []).Select(b => b.Store)).Concat(dynamicSparsity is null ? [] : [dynamicSparsity]).ToList();
        return new ReplicationReport(mode, stores, rows);
    }

    /// <summary>One row per claim: paper, claim, published, kit, verdict (in words), explanation, source.</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("Paper", Rows.Select(r => r.Paper)),
        new StringDataFrameColumn("Claim", Rows.Select(r => r.Claim)),
        new StringDataFrameColumn("Published", Rows.Select(r => r.Published)),
        new StringDataFrameColumn("Kit (mean ± std over trials)", Rows.Select(r => r.Kit)),
        new StringDataFrameColumn("Verdict", Rows.Select(r => r.VerdictWords)),
        new StringDataFrameColumn("What may explain it", Rows.Select(r => r.Explanation)),
        new StringDataFrameColumn("Store", Rows.Select(r => r.Source)));

    /// <summary>The stores read: name, path, state, training time.</summary>
    public DataFrame StoresFrame() => new(
        new StringDataFrameColumn("Store", Stores.Select(s => s.Name)),
        new StringDataFrameColumn("Folder (under results/)", Stores.Select(s => s.Path)),
        new StringDataFrameColumn("State", Stores.Select(s => s.State)),
        new StringDataFrameColumn("Training time (runs' wall time, summed)", Stores.Select(s => s.TrainingTime)));

    /// <summary>How many claims got each verdict, e.g. "3 hold, 1 holds in shape, 2 not run".</summary>
    public string Tally => string.Join(", ", Rows.GroupBy(r => r.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Words()}"));

    /// <summary>The whole report as Markdown (docs/replication-report.md is this, written in full mode).</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Replication report").AppendLine();
        md.AppendLine($"Generated by `SparsityKit.Experiments.Replication.ReplicationReport` in **{Mode}** mode from the run stores " +
            "below (notebook `09-replication-report`, or `dotnet run --project src/SparsityKit.Train -c Release -- replicate report`). " +
            "It reads finished runs only and trains nothing; every verdict is computed from the records by the rule below.").AppendLine();
        md.AppendLine($"Verdicts: {Tally}.").AppendLine();
        md.AppendLine("## Stores read").AppendLine();
        md.AppendLine("| Store | Folder (under results/) | State | Training time (runs' wall time, summed) |").AppendLine("|---|---|---|---|");
        foreach (var s in Stores) md.AppendLine($"| {Cell(s.Name)} | `{s.Path}` | {Cell(s.State)} | {s.TrainingTime} |");
        md.AppendLine().AppendLine("## Verdict rule").AppendLine().AppendLine(VerdictRule.Text).AppendLine();
        md.AppendLine("Accuracies are test accuracies in %, at early stopping (minimum validation loss) for the lottery-ticket " +
            "claims as in Frankle and Carbin's figures, at the end of training otherwise; levels are weights remaining in %.").AppendLine();
        md.AppendLine("## Claims").AppendLine();
        md.AppendLine("| Paper | Claim | Published | Kit (mean ± std over trials) | Verdict | What may explain it | Store |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in Rows)
            md.AppendLine($"| {Cell(r.Paper)} | {Cell(r.Claim)} | {Cell(r.Published)} | {Cell(r.Kit)} | **{r.VerdictWords}** | {Cell(r.Explanation)} | {Cell(r.Source)} |");
        return md.ToString();
    }

    public override string ToString() => ToMarkdown();

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    internal static string Percent(double fraction) => (100 * fraction).ToString(fraction >= 0.1 ? "F1" : "F2", CultureInfo.InvariantCulture) + "%";
}
