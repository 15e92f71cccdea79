// The "results" command: a run store's finished runs as tables, experiment by experiment, without training anything:
// what a sweep, a lottery, a Slurm job or a notebook's full mode has stored so far, read from the command line.
using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using SparsityKit.Analysis;
using SparsityKit.Experiments;
using SparsityKit.Train.CommandLine;

namespace SparsityKit.Train.Commands;

public static class ResultsCommand
{
    public static Command Create()
    {
        var store = Options.Text("--store", "The run store to read (a sweep's, a lottery's, a Slurm job's or a notebook's, e.g. results/notebooks/07-beyond-mnist)", "DIR");
        store.Required = true;
        var experiment = Options.Text("--experiment", "Only this experiment of the store (default: every one)", "NAME");
        var markdown = Options.Flag("--markdown", "Tables in Markdown, for a report or an issue (default: aligned text)");
        var command = new Command("results", "A run store's finished runs as tables per experiment (test accuracy and wall time per run, mean ± std over seeds); trains nothing")
        {
            store, experiment, markdown,
        };
        command.SetAction(result =>
        {
            Console.Write(Describe(result.GetValue(store)!, result.GetValue(experiment), result.GetValue(markdown)));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The tables for the store in <paramref name="folder"/>, or only its experiment <paramref name="experiment"/>; as
    /// Markdown tables if <paramref name="markdown"/>, else aligned text.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No folder there.</exception>
    /// <exception cref="ArgumentException">The store holds no finished run, or no run of <paramref name="experiment"/>.</exception>
    public static string Describe(string folder, string? experiment = null, bool markdown = false)
    {
        Func<DataFrame, string> format = markdown ? FrameFormat.ToMarkdown : FrameFormat.ToText;
        // Checked first: opening a RunStore creates its folder, and a mistyped path should not leave an empty store behind.
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"There is no run store at '{Path.GetFullPath(folder)}': give the folder a sweep, lottery, worker or notebook wrote its runs to (--store).");
        var records = new RunStore(folder).All();
        if (records.Count == 0)
            throw new ArgumentException($"The run store '{Path.GetFullPath(folder)}' holds no finished run yet (runs in training are recorded when they end).");
        var experiments = records.Select(r => r.Experiment).Distinct().Order(StringComparer.Ordinal).ToList();
        if (experiment is not null && !experiments.Contains(experiment))
            throw new ArgumentException($"The run store '{Path.GetFullPath(folder)}' has no experiment '{experiment}'. Its experiments: {string.Join(", ", experiments.Select(e => $"'{e}'"))}.");

        var text = new StringBuilder();
        foreach (var name in experiment is null ? experiments : [experiment])
        {
            var runs = records.Where(r => r.Experiment == name).ToList();
            string hours = (RecordSummary.TrainingSeconds(runs) / 3600).ToString("F2", CultureInfo.InvariantCulture);
            text.AppendLine($"{name}: {runs.Count} run{(runs.Count == 1 ? "" : "s")}, seeds {string.Join(", ", runs.Select(r => r.Seed).Distinct().Order())}; {hours} h of training " +
                "(each run's wall time, a training measured at several targets counted once)");
            Table("Test accuracy (%), mean ± std over seeds:", runs.ComparisonTable());
            Table("Wall time of one run (minutes), mean ± std over seeds:", runs.ComparisonTable(r => r.WallSeconds / 60, unit: "minutes", digits: 1));
            // A store still being written has cells of fewer seeds than others; their means are not yet comparable.
            int seeds = runs.Select(r => r.Seed).Distinct().Count();
            var partial = RunFrames.Summarise(runs).Where(cell => cell.Count < seeds)
                .Select(cell => $"{cell.Kind} at {(100 * (cell.TargetSparsity ?? cell.Sparsity)).ToString("0.#", CultureInfo.InvariantCulture)}% ({cell.Count})").ToList();
            if (partial.Count > 0) text.AppendLine($"Cells of fewer than {seeds} seeds: {string.Join(", ", partial)}.");
            text.AppendLine();
        }
        return text.ToString();

        // Markdown needs a blank line before and after a table, or the table is read as part of the paragraph.
        void Table(string caption, DataFrame frame)
        {
            text.AppendLine(caption);
            if (markdown) text.AppendLine();
            text.Append(format(frame));
            if (markdown) text.AppendLine();
        }
    }
}
