using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace SparsityKit.Analysis;

/// <summary>
/// How SparsityKit shows a DataFrame's cells, in a notebook (the kernel extension's HTML table) and on a console
/// (<see cref="ToText"/>): fractions in columns named for accuracy, sparsity or weights remaining as percentages with
/// two decimals, other numbers with at most 4 significant digits (thousands separated from 10,000 up), missing values
/// blank. The values in the frame keep their full precision.
/// </summary>
public static class FrameFormat
{
    /// <summary>The most rows shown; the rest are counted below the table.</summary>
    public const int MaxRows = 100;

    private static readonly string[] PercentNames = ["Accuracy", "Sparsity", "WeightsRemaining"];

    /// <summary>Whether a column holds fractions shown as percentages (by its name: *Accuracy*, *Sparsity*, *WeightsRemaining*).</summary>
    public static bool IsPercentColumn(string name) => PercentNames.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a column is numeric (right-aligned).</summary>
    public static bool IsNumeric(DataFrameColumn column) => column.DataType != typeof(string) && column.DataType != typeof(bool);

    /// <summary>The cell <paramref name="row"/> of <paramref name="column"/> as shown.</summary>
    public static string Cell(DataFrameColumn column, long row) => Value(column.Name, column[row]);

    /// <summary>A value of the column named <paramref name="columnName"/> as shown.</summary>
    public static string Value(string columnName, object? value) => value switch
    {
        null => "",
        double d => Number(d, IsPercentColumn(columnName)),
        float f => Number(f, IsPercentColumn(columnName)),
        int or long or short or uint or ulong => Convert.ToInt64(value, CultureInfo.InvariantCulture) is var n && Math.Abs(n) >= 10_000
            ? n.ToString("N0", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A number as shown: a percentage with two decimals, else at most 4 significant digits.</summary>
    public static string Number(double value, bool percent = false)
    {
        if (double.IsNaN(value)) return "";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "-∞";
        if (percent) return (100 * value).ToString("F2", CultureInfo.InvariantCulture) + "%";
        if (Math.Abs(value) >= 10_000) return value.ToString("N0", CultureInfo.InvariantCulture);
        return value.ToString("G4", CultureInfo.InvariantCulture);
    }

    /// <summary>The frame as an aligned text table (numbers right-aligned), for a console or a log.</summary>
    public static string ToText(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var columns = frame.Columns.ToList();
        long shown = Math.Min(frame.Rows.Count, MaxRows);
        var cells = columns.Select(c => Enumerable.Range(0, (int)shown).Select(r => Cell(c, r)).Prepend(c.Name).ToList()).ToList();
        var widths = cells.Select(c => c.Max(s => s.Length)).ToList();
        var text = new StringBuilder();
        for (int line = 0; line <= shown; line++)
        {
            var row = new StringBuilder();
            for (int c = 0; c < columns.Count; c++)
            {
                if (c > 0) row.Append("  ");
                string cell = cells[c][line];
                row.Append(IsNumeric(columns[c]) ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            }
            text.Append(row.ToString().TrimEnd()).Append('\n');
            if (line == 0) text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        }
        if (frame.Rows.Count > shown) text.Append($"… {frame.Rows.Count - shown:N0} more rows ({frame.Rows.Count:N0} in all)\n");
        return text.ToString();
    }

    /// <summary>
    /// The frame as a Markdown table, every row, cells as shown (numbers right-aligned), for a report, an issue or a
    /// paper's draft. A '|' inside a cell is escaped.
    /// </summary>
    public static string ToMarkdown(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var columns = frame.Columns.ToList();
        static string Escaped(string cell) => cell.Replace("|", "\\|");
        var text = new StringBuilder();
        text.Append("| ").Append(string.Join(" | ", columns.Select(c => Escaped(c.Name)))).Append(" |\n");
        text.Append('|').Append(string.Join("|", columns.Select(c => IsNumeric(c) ? "---:" : "---"))).Append("|\n");
        for (long row = 0; row < frame.Rows.Count; row++)
            text.Append("| ").Append(string.Join(" | ", columns.Select(c => Escaped(Cell(c, row))))).Append(" |\n");
        return text.ToString();
    }
}
