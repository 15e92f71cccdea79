using System.Globalization;
using XPlot.Plotly;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>
    /// A log axis whose ticks SparsityKit chooses: 1, 2 and 5 times powers of ten across the data (only the powers of
    /// ten when that would be more than 8 ticks), each labelled by <paramref name="label"/>. Plotly's own log ticks label
    /// every minor tick once a tick format is set, which overlaps ("90.0%80.0%70.0%…"), or leave bare minor digits
    /// ("2 3 4 … 100k 2 3").
    /// </summary>
    internal static Xaxis LogAxis(string title, IEnumerable<double> values, Func<double, string> label, bool reversed = false)
    {
        var data = values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        if (data.Count == 0) data = [1];
        double low = data.Min(), high = data.Max();
        var ticks = LogTicks(low, high, [1, 2, 5]);
        if (ticks.Count > 8) ticks = LogTicks(low, high, [1]);
        if (ticks.Count < 2) ticks = LogTicks(low / 10, high * 10, [1]);
        var axis = new Xaxis
        {
            title = title, type = "log", tickmode = "array",
            tickvals = ticks.Select(t => (object)t).ToArray(), ticktext = ticks.Select(t => (object)label(t)).ToArray(),
        };
        if (reversed) axis.autorange = "reversed";
        return axis;
    }

    // The ticks m·10^k (m in mantissas) from just below low to just above high, so the data sits inside them.
    private static List<double> LogTicks(double low, double high, double[] mantissas)
    {
        var ticks = new List<double>();
        for (int k = (int)Math.Floor(Math.Log10(low)) - 1; k <= (int)Math.Ceiling(Math.Log10(high)); k++)
            foreach (var m in mantissas)
                ticks.Add(double.Parse($"{m}e{k}", CultureInfo.InvariantCulture));   // exact decimal values, no 0.30000000000000004
        int first = Math.Max(0, ticks.FindLastIndex(t => t <= low * (1 + 1e-9)));
        int last = ticks.FindIndex(t => t >= high * (1 - 1e-9));
        if (last < 0) last = ticks.Count - 1;
        return ticks.GetRange(first, last - first + 1);
    }

    /// <summary>A fraction as a percentage with no more decimals than it needs (50%, 2%, 0.5%).</summary>
    internal static string PercentTick(double fraction) => (100 * fraction).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary>A count in short form: 500, 2k, 50k, 1M, 1G.</summary>
    internal static string CountTick(double value) => value switch
    {
        >= 1e9 => (value / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (value / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (value / 1e3).ToString("0.###", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    /// <summary>A factor: 1x, 2x, 50x.</summary>
    internal static string FactorTick(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "x";
}
