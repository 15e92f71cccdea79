using System.Text.RegularExpressions;

namespace SparsityKit.Data;

/// <summary>
/// Splits a sentence into tokens: <see cref="Words"/> (runs of letters and digits, and each punctuation mark on its own)
/// or <see cref="Characters"/> (every character, spaces included). <see cref="Join"/> puts tokens back together.
/// </summary>
public sealed partial class Tokenizer
{
    private readonly Func<string, IReadOnlyList<string>> _split;
    private readonly string _separator;

    private Tokenizer(string name, Func<string, IReadOnlyList<string>> split, string separator) =>
        (Name, _split, _separator) = (name, split, separator);

    /// <summary>Word level: "Hello, world!" gives "Hello", ",", "world", "!". Case is kept.</summary>
    public static Tokenizer Words { get; } = new("words", s => WordPattern().Matches(s).Select(m => m.Value).ToList(), " ");

    /// <summary>Character level: "ab c" gives "a", "b", " ", "c".</summary>
    public static Tokenizer Characters { get; } = new("characters", s => s.Select(c => c.ToString()).ToList(), "");

    public string Name { get; }

    public IReadOnlyList<string> Tokenize(string text) => _split(text);

    public string Join(IEnumerable<string> tokens) => string.Join(_separator, tokens);

    public override string ToString() => Name;

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex WordPattern();
}
