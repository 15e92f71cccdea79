namespace SparsityKit.Experiments;

/// <summary>
/// A run's identity in a <see cref="RunStore"/>: the canonical description of everything that can change its result
/// (the model as built from its seed, the data, the training config, the method with all its settings, targets and
/// seeds) and the hash of that description, as OpenLTH keys its runs. Change any setting and the key changes, so a
/// store never hands back a result computed under other settings.
/// </summary>
public sealed record RunKey(string Description)
{
    /// <summary>
    /// The version of the kit's numerics. Raise it in a change that alters what unchanged settings compute (a training bug
    /// fixed, another kernel), so that run stores, the committed ones included, compute such runs again rather than hand
    /// back what the old code computed. Version 1 adds nothing to a description, so keys made before it existed stand.
    /// </summary>
    public const int NumericsVersion = 1;

    /// <summary>Describes the labelled parts, one per line, each canonically (<see cref="CanonicalDescription"/>).</summary>
    public static RunKey Of(params (string Label, object? Value)[] parts) => Of(NumericsVersion, parts);

    internal static RunKey Of(int numericsVersion, params (string Label, object? Value)[] parts) =>
        new(numericsVersion == 1 ? Describe(parts) : $"{Describe(parts)}\nnumerics: {numericsVersion}");

    private static string Describe((string Label, object? Value)[] parts) =>
        string.Join("\n", parts.Select(p => $"{p.Label}: {CanonicalDescription.Of(p.Value)}"));

    /// <summary>The first 16 hex digits of the SHA-256 of <see cref="Description"/>.</summary>
    public string Hash { get; } = CanonicalDescription.Hash(Description);

    /// <summary>This key with more parts appended (a target measured from a shared training, a round).</summary>
    public RunKey With(params (string Label, object? Value)[] parts) => new(Description + "\n" + Describe(parts));

    /// <summary>A folder or file name made of letters, digits and '-' only, so names never escape or collide by punctuation.</summary>
    public static string Slug(string text)
    {
        var slug = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return slug.Length == 0 ? "run" : slug;
    }
}
