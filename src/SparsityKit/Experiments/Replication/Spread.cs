using System.Globalization;

namespace SparsityKit.Experiments.Replication;

/// <summary>
/// A metric over trials: mean, sample standard deviation and count. A published number is a spread of no trials
/// (<see cref="Published"/>) whose standard error is zero: the paper's figure is taken as exact.
/// </summary>
public readonly record struct Spread(double Mean, double Std, int Count)
{
    /// <summary>The standard error of the mean; NaN for a single trial (no spread to estimate it from), 0 for a published number.</summary>
    public double StandardError => Count == 0 ? 0 : Count == 1 ? double.NaN : Std / Math.Sqrt(Count);

    public static Spread Published(double value) => new(value, 0, 0);

    public static Spread Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) throw new ArgumentException("A spread needs at least one trial's value.", nameof(values));
        double mean = v.Average();
        double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new(mean, std, v.Length);
    }

    /// <summary>"98.15 ± 0.10" (scaled, e.g. by 100 for a percentage), or the mean alone for one trial or a published number.</summary>
    public string Format(double scale = 100, string format = "F2") =>
        Count > 1 ? $"{(Mean * scale).ToString(format, CultureInfo.InvariantCulture)} ± {(Std * scale).ToString(format, CultureInfo.InvariantCulture)}"
                  : (Mean * scale).ToString(format, CultureInfo.InvariantCulture);
}
