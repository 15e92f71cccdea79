// Options whose bad values get an error that names the option, what it wants and an example, instead of a type name.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SparsityKit.Train.CommandLine;

public static class Options
{
    /// <summary>A whole-number option of at least <paramref name="minimum"/>; null when not given.</summary>
    public static Option<int?> Int(string name, string description, int minimum, string example, params string[] aliases) =>
        Parsed<int?>(name, description, "N", aliases, text =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= minimum ? v : null,
            $"give a whole number of at least {minimum:N0}, e.g. {name} {example}");

    /// <summary>A long whole-number option (seeds); null when not given.</summary>
    public static Option<long?> Long(string name, string description, string example) =>
        Parsed<long?>(name, description, "N", [], text =>
            long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null,
            $"give a whole number, e.g. {name} {example}");

    /// <summary>
    /// A number in [<paramref name="minimum"/>, <paramref name="maximum"/>] (or below the maximum when
    /// <paramref name="maximumExcluded"/>); null when not given. Always read with the invariant culture (0.9, not 0,9).
    /// </summary>
    public static Option<double?> Double(string name, string description, double minimum, double maximum, string example, bool maximumExcluded = false,
        string helpName = "X")
    {
        string range = double.IsPositiveInfinity(maximum) ? $"at least {minimum.ToString(CultureInfo.InvariantCulture)}"
            : $"at least {minimum.ToString(CultureInfo.InvariantCulture)} and {(maximumExcluded ? "below" : "at most")} {maximum.ToString(CultureInfo.InvariantCulture)}";
        return Parsed<double?>(name, description, helpName, [], text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= minimum
                && (maximumExcluded ? v < maximum : v <= maximum) ? v : null,
            $"give a number {range}, e.g. {name} {example}");
    }

    /// <summary>A comma-separated list of whole numbers (seeds: 1,2,3); null when not given.</summary>
    public static Option<IReadOnlyList<long>?> LongList(string name, string description, string example) =>
        Parsed<IReadOnlyList<long>?>(name, description, "A,B,...", [], text =>
        {
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            var values = new List<long>();
            foreach (var part in parts)
                if (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)) values.Add(v); else return null;
            return values.Count > 0 && values.Distinct().Count() == values.Count ? values : null;
        }, $"give distinct whole numbers separated by commas, e.g. {name} {example}");

    /// <summary>A comma-separated list of numbers in [0, 1) (sparsities: 0.9,0.95); null when not given.</summary>
    public static Option<IReadOnlyList<double>?> FractionList(string name, string description, string example) =>
        Parsed<IReadOnlyList<double>?>(name, description, "A,B,...", [], text =>
        {
            var values = new List<double>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
                if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && v < 1) values.Add(v); else return null;
            return values.Count > 0 ? values : null;
        }, $"give numbers at least 0 and below 1 separated by commas, e.g. {name} {example}");

    /// <summary>A name from a fixed list; completion offers the list and a bad name gets it in the error.</summary>
    public static Option<string?> Choice(string name, string description, IReadOnlyList<string> choices, params string[] aliases) =>
        Named(name, description, "NAME", aliases, choices, value => choices.Contains(value), $"use one of {string.Join(", ", choices)}");

    /// <summary>
    /// A name that <paramref name="accepts"/> decides on (catalog names that take patterns, zoo names that ignore case);
    /// completion offers <paramref name="suggestions"/>.
    /// </summary>
    public static Option<string?> Named(string name, string description, string helpName, string[] aliases, IReadOnlyList<string> suggestions,
        Func<string, bool> accepts, string fix)
    {
        var option = new Option<string?>(name, aliases) { Description = description, HelpName = helpName };
        option.CompletionSources.Add(_ => suggestions);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string value = result.Tokens[0].Value;
            if (!accepts(value)) result.AddError($"{name} {value}: unknown; {fix}.");
        });
        return option;
    }

    /// <summary>A text option (a path, a name checked later); null when not given.</summary>
    public static Option<string?> Text(string name, string description, string helpName, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = helpName };

    /// <summary>An on/off switch.</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) => new(name, aliases) { Description = description };

    private static Option<T> Parsed<T>(string name, string description, string helpName, string[] aliases, Func<string, T?> parse, string fix)
    {
        var option = new Option<T>(name, aliases) { Description = description, HelpName = helpName };
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            var value = parse(text);
            if (value is null) result.AddError($"{name} {text}: not valid; {fix}.");
            return value;
        };
        return option;
    }
}
