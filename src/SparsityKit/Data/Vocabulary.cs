namespace SparsityKit.Data;

/// <summary>
/// Token ids for a sequence model: the special tokens &lt;pad&gt; (0), &lt;bos&gt; (1), &lt;eos&gt; (2) and &lt;unk&gt; (3),
/// then the tokens of a corpus, most frequent first (ties in ordinal order), so a vocabulary built from the same text is
/// the same. Tokens not in it encode as &lt;unk&gt;.
/// </summary>
public sealed class Vocabulary
{
    public const int Pad = 0, Bos = 1, Eos = 2, Unk = 3;
    public static readonly IReadOnlyList<string> Specials = ["<pad>", "<bos>", "<eos>", "<unk>"];

    private readonly List<string> _tokens;
    private readonly Dictionary<string, int> _ids;

    private Vocabulary(List<string> tokens)
    {
        _tokens = tokens;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++) _ids.TryAdd(tokens[i], i);
    }

    /// <summary>The specials, then every token of <paramref name="sentences"/> seen at least <paramref name="minCount"/> times, at most <paramref name="maxSize"/> in all.</summary>
    public static Vocabulary Build(IEnumerable<IEnumerable<string>> sentences, int? maxSize = null, int minCount = 1)
    {
        if (maxSize is < 5) throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "A vocabulary holds the 4 special tokens and at least one more.");
        if (minCount < 1) throw new ArgumentOutOfRangeException(nameof(minCount), minCount, "Use 1 to keep every token.");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
            foreach (var token in sentence) counts[token] = counts.GetValueOrDefault(token) + 1;
        var kept = counts.Where(kv => kv.Value >= minCount && !Specials.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key);
        if (maxSize is { } max) kept = kept.Take(max - Specials.Count);
        return new Vocabulary([.. Specials, .. kept]);
    }

    /// <summary>The specials and the given tokens in order (a synthetic task's symbols).</summary>
    public static Vocabulary Of(IEnumerable<string> tokens) => new([.. Specials, .. tokens]);

    /// <summary>Tokens, specials included: the size of the model's embedding.</summary>
    public int Count => _tokens.Count;

    public IReadOnlyList<string> Tokens => _tokens;

    public int Id(string token) => _ids.TryGetValue(token, out int id) ? id : Unk;

    public int[] Encode(IEnumerable<string> tokens) => tokens.Select(Id).ToArray();

    /// <summary>The tokens of <paramref name="ids"/> up to the first &lt;eos&gt;, without padding and &lt;bos&gt;.</summary>
    public IEnumerable<string> Decode(IEnumerable<long> ids) =>
        ids.TakeWhile(id => id != Eos).Where(id => id != Pad && id != Bos).Select(id => id >= 0 && id < Count ? _tokens[(int)id] : Specials[Unk]);

    public override string ToString() => $"vocabulary of {Count} tokens ({Count - Specials.Count} + {Specials.Count} special)";
}
