using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// Source-target token sequences for the Transformer with one vocabulary shared by both sides (as the zoo's Transformer
/// shares its embedding): a synthetic task (<see cref="Synthetic"/>) or a plain-text parallel corpus
/// (<see cref="ReadParallelCorpus"/>), split into training and test pairs, drawn in padded batches.
/// </summary>
public sealed class SequencePairs
{
    public SequencePairs(string name, Vocabulary vocabulary, IReadOnlyList<(int[] Source, int[] Target)> train,
        IReadOnlyList<(int[] Source, int[] Target)> test, Tokenizer? tokenizer = null)
    {
        if (train.Count == 0) throw new ArgumentException($"{name}: no training pairs.", nameof(train));
        Name = name;
        Vocabulary = vocabulary;
        Train = train;
        Test = test;
        Tokenizer = tokenizer;
    }

    public string Name { get; }
    public Vocabulary Vocabulary { get; }
    public IReadOnlyList<(int[] Source, int[] Target)> Train { get; }
    public IReadOnlyList<(int[] Source, int[] Target)> Test { get; }

    /// <summary>The tokenizer the corpus was read with; null for a synthetic task.</summary>
    public Tokenizer? Tokenizer { get; }

    /// <summary>
    /// Random sequences of <paramref name="symbols"/> symbols, <paramref name="minLength"/> to <paramref name="maxLength"/>
    /// long, whose targets are the sources copied or reversed; the same seed gives the same pairs.
    /// </summary>
    public static SequencePairs Synthetic(SequenceTask task, int trainCount = 1_000, int testCount = 200, int symbols = 10,
        int minLength = 3, int maxLength = 8, long seed = 0)
    {
        if (trainCount <= 0 || testCount < 0) throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, "Ask for at least one training pair.");
        if (symbols < 2) throw new ArgumentOutOfRangeException(nameof(symbols), symbols, "At least two symbols are needed.");
        if (minLength < 1 || maxLength < minLength)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"Lengths must satisfy 1 <= minLength ({minLength}) <= maxLength.");
        var vocabulary = Vocabulary.Of(Enumerable.Range(0, symbols).Select(i => $"s{i}"));
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        List<(int[], int[])> Draw(int count) => Enumerable.Range(0, count).Select(_ =>
        {
            var source = Enumerable.Range(0, random.Next(minLength, maxLength + 1)).Select(_ => Vocabulary.Specials.Count + random.Next(symbols)).ToArray();
            var target = task == SequenceTask.Copy ? source.ToArray() : source.Reverse().ToArray();
            return (source, target);
        }).ToList();
        return new SequencePairs($"synthetic {task.ToString().ToLowerInvariant()} (seed {seed})", vocabulary, Draw(trainCount), Draw(testCount));
    }

    /// <summary>
    /// A parallel corpus in plain text, one pair per line, source and target separated by a tab (blank lines are skipped).
    /// The vocabulary is built from both sides of the training lines; the last <paramref name="testFraction"/> of the lines
    /// are the test pairs.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line has no tab, or a side with no tokens; the message names the line.</exception>
    public static SequencePairs ReadParallelCorpus(string path, Tokenizer? tokenizer = null, int? maxVocabulary = null, int minCount = 1,
        double testFraction = 0.1)
    {
        tokenizer ??= Tokenizer.Words;
        if (!(testFraction >= 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie in [0, 1) (0.1 holds out the last tenth).");
        if (!File.Exists(path))
            throw new FileNotFoundException($"The parallel corpus '{path}' does not exist: give a text file with one 'source<TAB>target' pair per line.", path);
        var pairs = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            int tab = line.IndexOf('\t');
            if (tab < 0)
                throw new InvalidDataException($"{path}, line {number}: no tab between source and target. Each line must be 'source<TAB>target'.");
            var source = tokenizer.Tokenize(line[..tab]);
            var target = tokenizer.Tokenize(line[(tab + 1)..].TrimEnd('\r'));
            if (source.Count == 0 || target.Count == 0)
                throw new InvalidDataException($"{path}, line {number}: the {(source.Count == 0 ? "source" : "target")} has no tokens.");
            pairs.Add((source, target));
        }
        if (pairs.Count == 0) throw new InvalidDataException($"{path} holds no sentence pairs: one 'source<TAB>target' pair per line.");
        int testCount = (int)(pairs.Count * testFraction);
        if (pairs.Count - testCount == 0) throw new InvalidDataException($"{path}: too few pairs ({pairs.Count}) to hold out a test set.");
        var train = pairs.Take(pairs.Count - testCount).ToList();
        var vocabulary = Vocabulary.Build(train.SelectMany(p => new[] { p.Item1, p.Item2 }), maxVocabulary, minCount);
        List<(int[], int[])> Encode(IEnumerable<(IReadOnlyList<string> S, IReadOnlyList<string> T)> list) =>
            list.Select(p => (vocabulary.Encode(p.S), vocabulary.Encode(p.T))).ToList();
        return new SequencePairs(Path.GetFileName(path), vocabulary, Encode(train), Encode(pairs.Skip(train.Count)), tokenizer);
    }

    /// <summary>Training batches in a seeded order, a fresh permutation each epoch (an incomplete last batch is dropped).</summary>
    public IEnumerable<SequenceBatch> TrainingBatches(int batchSize, long seed, Device? device = null)
    {
        using var sampler = new BatchSampler(Train.Count, batchSize, seed, CPU);
        while (true)
        {
            long[] indices;
            using (var index = sampler.Next()) indices = index.data<long>().ToArray();
            yield return Batch(Train, indices.Select(i => (int)i), device);
        }
    }

    /// <summary>The test pairs in order, in batches of at most <paramref name="batchSize"/>.</summary>
    public IEnumerable<SequenceBatch> TestBatches(int batchSize, Device? device = null)
    {
        for (int start = 0; start < Test.Count; start += batchSize)
            yield return Batch(Test, Enumerable.Range(start, Math.Min(batchSize, Test.Count - start)), device);
    }

    /// <summary>The pairs at <paramref name="indices"/>, padded into one batch.</summary>
    public static SequenceBatch Batch(IReadOnlyList<(int[] Source, int[] Target)> pairs, IEnumerable<int> indices, Device? device = null)
    {
        var chosen = indices.Select(i => pairs[i]).ToList();
        var source = Padded(chosen.Select(p => p.Source.Append(Vocabulary.Eos)));
        var input = Padded(chosen.Select(p => p.Target.Prepend(Vocabulary.Bos)));
        var target = Padded(chosen.Select(p => p.Target.Append(Vocabulary.Eos)));
        var to = Devices.Resolve(device);
        if (to.type == DeviceType.CPU) return new SequenceBatch(source, input, target);
        var moved = new SequenceBatch(source.to(to), input.to(to), target.to(to));
        source.Dispose(); input.Dispose(); target.Dispose();
        return moved;
    }

    private static Tensor Padded(IEnumerable<IEnumerable<int>> sequences)
    {
        var rows = sequences.Select(s => s.ToArray()).ToList();
        int length = rows.Max(r => r.Length);
        var values = new long[rows.Count * length];   // zeros: <pad>
        for (int r = 0; r < rows.Count; r++)
            for (int t = 0; t < rows[r].Length; t++) values[r * length + t] = rows[r][t];
        return tensor(values, [rows.Count, length]);
    }

    public override string ToString() => $"{Name}: {Train.Count} train / {Test.Count} test pairs, {Vocabulary}";
}
