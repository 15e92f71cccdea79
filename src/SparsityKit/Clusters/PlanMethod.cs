using System.Globalization;
using System.Text.Json.Serialization;
using SparsityKit.Experiments;

namespace SparsityKit.Clusters;

/// <summary>
/// A method of a <see cref="SweepPlan"/> by registry name ("magnitude", "random", "vd", "l0", ...) and every setting
/// that changes its result, so that a worker on another machine can rebuild it (see <see cref="PlanMethods"/>).
/// An existing <see cref="SweepMethod"/> converts to an ad-hoc plan method: it runs locally but cannot be saved or
/// submitted, since its lambda cannot be rebuilt elsewhere.
/// </summary>
public sealed record PlanMethod
{
    private readonly IReadOnlyDictionary<string, string> _settings = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <param name="name">The registry name.</param>
    /// <param name="settings">Settings by name, as invariant-culture text (numbers with a point).</param>
    /// <param name="label">The name in records and charts (<see cref="RunRecord.Kind"/>); default <paramref name="name"/>.</param>
    [JsonConstructor]
    public PlanMethod(string name, IReadOnlyDictionary<string, string>? settings = null, string? label = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A plan method needs a registry name, e.g. \"magnitude\".", nameof(name));
        Name = name;
        Label = label;
        if (settings is not null) Settings = settings;
    }

    public string Name { get; init; }

    public string? Label { get; init; }

    /// <summary>Settings in key order, so that equal methods serialise to equal text.</summary>
    public IReadOnlyDictionary<string, string> Settings
    {
        get => _settings;
        init => _settings = new SortedDictionary<string, string>(value.ToDictionary(), StringComparer.Ordinal);
    }

    /// <summary>The ad-hoc method this plan method wraps (a lambda); null for a named method.</summary>
    [JsonIgnore]
    public SweepMethod? AdHoc { get; private init; }

    /// <summary>The name in records: <see cref="Label"/>, or <see cref="Name"/>.</summary>
    [JsonIgnore]
    public string DisplayName => Label ?? Name;

    /// <summary>A named method with settings given as values (numbers are written in the invariant culture).</summary>
    public static PlanMethod Of(string name, string? label = null, params (string Key, object Value)[] settings) =>
        new(name, settings.ToDictionary(s => s.Key, s => Convert.ToString(s.Value, CultureInfo.InvariantCulture)!), label);

    /// <summary>This method with one more setting.</summary>
    public PlanMethod With(string key, object value) =>
        this with { Settings = new Dictionary<string, string>(Settings) { [key] = Convert.ToString(value, CultureInfo.InvariantCulture)! } };

    /// <summary>Wraps an ad-hoc sweep method: fine for <see cref="SweepPlan.Run"/> here, refused by save and submission.</summary>
    public static implicit operator PlanMethod(SweepMethod method) => new(method.Name) { AdHoc = method };

    public override string ToString() =>
        AdHoc is not null ? $"{Name} (ad hoc)" :
        $"{DisplayName}{(Label is null ? "" : $" = {Name}")}{(Settings.Count == 0 ? "" : $" ({string.Join(", ", Settings.Select(s => $"{s.Key}={s.Value}"))})")}";
}
