using System.Text;

namespace SparsityKit.Experiments;

/// <summary>Mean and standard deviation of a metric over seeds, per kind of run and sparsity level.</summary>
public static class RecordSummary
{
    /// <summary>One row per (kind, round, rounded sparsity): mean, sample standard deviation and count over seeds.</summary>
    public static IReadOnlyList<(string Kind, double WeightsRemaining, double Mean, double Std, int Count)> Summarise(
        IEnumerable<RunRecord> records, Func<RunRecord, double> metric) =>
        records.GroupBy(r => (r.Kind, r.Round, Sparsity: Math.Round(r.Sparsity, 3)))
            .Select(g =>
            {
                var values = g.Select(metric).ToArray();
                double mean = values.Average();
                double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
                return (g.Key.Kind, 1 - g.Key.Sparsity, mean, std, values.Length);
            })
            .OrderByDescending(r => r.Item2).ThenBy(r => r.Kind).ToList();

    /// <summary>
    /// The wall time of the records' trainings, summed as each run recorded it (runs that trained side by side count
    /// separately). A training measured at several targets (variational dropout's records share one) counts once.
    /// </summary>
    public static double TrainingSeconds(IEnumerable<RunRecord> records) =>
        records.DistinctBy(r => (r.Experiment, r.Kind, r.Seed, r.Round, r.WallSeconds)).Sum(r => r.WallSeconds);

    /// <summary>A text table: one row per sparsity level, one column per kind of run, cells "mean ± std".</summary>
    /// <param name="unit">The metric's unit, named in the heading; null for a fraction shown as a percentage.</param>
    public static string Table(IEnumerable<RunRecord> records, Func<RunRecord, double> metric, string metricName, string? unit = null)
    {
        var rows = Summarise(records, metric);
        var kinds = rows.Select(r => r.Kind).Distinct().ToList();
        double scale = unit is null ? 100 : 1;
        string format = unit is null ? "F2" : "F0";
        var text = new StringBuilder($"{metricName} (mean ± std over seeds, {unit ?? "%"})\n");
        text.Append($"{"remaining",10}");
        foreach (var k in kinds) text.Append($" {k,16}");
        text.AppendLine();
        foreach (var level in rows.GroupBy(r => Math.Round(r.WeightsRemaining, 3)).OrderByDescending(g => g.Key))
        {
            text.Append($"{level.Key,10:P1}");
            foreach (var k in kinds)
            {
                var cell = level.FirstOrDefault(r => r.Kind == k);
                string mean = (scale * cell.Mean).ToString(format), std = (scale * cell.Std).ToString(format);
                text.Append(cell.Count == 0 ? $" {"",16}" : cell.Count == 1 ? $" {mean,16}" : $" {$"{mean} ± {std}",16}");
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
