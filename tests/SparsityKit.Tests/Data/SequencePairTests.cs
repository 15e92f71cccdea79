using SparsityKit.Data;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Data;

/// <summary>Sequence pairs for the Transformer: the synthetic tasks, the parallel-corpus reader and its tokenizers, padded batches.</summary>
public class SequencePairTests
{
    [Fact]
    public void Synthetic_tasks_are_seeded_and_targets_copy_or_reverse_the_source()
    {
        var copy = SequencePairs.Synthetic(SequenceTask.Copy, trainCount: 50, testCount: 10, symbols: 6, minLength: 2, maxLength: 5, seed: 1);
        var reverse = SequencePairs.Synthetic(SequenceTask.Reverse, trainCount: 50, testCount: 10, symbols: 6, minLength: 2, maxLength: 5, seed: 1);
        var again = SequencePairs.Synthetic(SequenceTask.Copy, trainCount: 50, testCount: 10, symbols: 6, minLength: 2, maxLength: 5, seed: 1);
        var other = SequencePairs.Synthetic(SequenceTask.Copy, trainCount: 50, testCount: 10, symbols: 6, minLength: 2, maxLength: 5, seed: 2);
        Assert.Equal(10, copy.Vocabulary.Count);
        Assert.All(copy.Train, p => Assert.Equal(p.Source, p.Target));
        Assert.All(reverse.Train, p => Assert.Equal(p.Source.Reverse(), p.Target));
        Assert.All(copy.Train, p => Assert.InRange(p.Source.Length, 2, 5));
        Assert.All(copy.Train.SelectMany(p => p.Source), id => Assert.InRange(id, 4, 9));   // never a special token
        Assert.Equal(copy.Train.Select(p => p.Source), again.Train.Select(p => p.Source));
        Assert.NotEqual(copy.Train.Select(p => p.Source), other.Train.Select(p => p.Source));
    }

    [Fact]
    public void Batches_are_padded_shifted_and_end_with_eos()
    {
        var pairs = new List<(int[], int[])> { ([4, 5, 6], [7, 8]), ([9], [10, 11, 12]) };
        using var batch = SequencePairs.Batch(pairs, [0, 1], CPU);
        Assert.Equal(new long[] { 4, 5, 6, 2, 9, 2, 0, 0 }, batch.Source.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 7, 8, 0, 1, 10, 11, 12 }, batch.DecoderInput.data<long>().ToArray());
        Assert.Equal(new long[] { 7, 8, 2, 0, 10, 11, 12, 2 }, batch.DecoderTarget.data<long>().ToArray());
        Assert.Equal([2L, 4], batch.DecoderTarget.shape);
        // The loss ignores padding: logits that are right everywhere but at padded positions give a loss near zero.
        using var logits = nn.functional.one_hot(batch.DecoderTarget, 13).to(ScalarType.Float32).mul(50);
        Assert.True(batch.Loss(logits).item<float>() < 1e-6);
        Assert.Equal(1.0, batch.TokenAccuracy(logits));
    }

    [Fact]
    public void The_corpus_reader_tokenizes_builds_a_vocabulary_and_names_bad_lines()
    {
        var dir = TestFiles.TemporaryDirectory();
        var path = Path.Combine(dir, "corpus.tsv");
        File.WriteAllLines(path, ["Hello, world!\tHallo, Welt!", "", "the cat\tdie Katze", "the dog\tder Hund", "a cat\teine Katze"]);
        var corpus = SequencePairs.ReadParallelCorpus(path, Tokenizer.Words, testFraction: 0.25);
        Assert.Equal(3, corpus.Train.Count);
        Assert.Single(corpus.Test);
        Assert.Equal(Vocabulary.Specials, corpus.Vocabulary.Tokens.Take(4));
        Assert.Equal("Hallo , Welt !", corpus.Tokenizer!.Join(corpus.Vocabulary.Decode(corpus.Train[0].Target.Select(i => (long)i))));
        Assert.Equal("Hello , world !", corpus.Tokenizer!.Join(corpus.Vocabulary.Decode(corpus.Train[0].Source.Select(i => (long)i))));
        // "!", "," and "the" are the most frequent tokens of the training lines (ties in ordinal order); "a" is only in the test line.
        Assert.Equal(["!", ",", "the"], corpus.Vocabulary.Tokens.Skip(4).Take(3));
        Assert.Equal([Vocabulary.Unk, corpus.Vocabulary.Id("cat")], corpus.Test[0].Source);

        var characters = SequencePairs.ReadParallelCorpus(path, Tokenizer.Characters, testFraction: 0);
        Assert.Equal("Hello, world!".Length, characters.Train[0].Source.Length);

        File.WriteAllLines(path, ["one\teins", "two zwei"]);
        Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => SequencePairs.ReadParallelCorpus(path)).Message);
        File.WriteAllLines(path, ["one\t", "two\tzwei"]);
        Assert.Contains("line 1", Assert.Throws<InvalidDataException>(() => SequencePairs.ReadParallelCorpus(path)).Message);
        Assert.Contains("nowhere.tsv", Assert.Throws<FileNotFoundException>(() => SequencePairs.ReadParallelCorpus(Path.Combine(dir, "nowhere.tsv"))).Message);
    }

    [Fact]
    public void A_tiny_transformer_learns_the_copy_task_and_the_zoo_transformer_small_takes_steps()
    {
        using var single = new SingleThread();
        var data = SequencePairs.Synthetic(SequenceTask.Copy, trainCount: 512, testCount: 64, symbols: 6, minLength: 3, maxLength: 5, seed: 1);
        Seeding.Set(3);
        var tiny = new Transformer(DenseLayers.Default, TransformerConfig.Small with
        {
            ModelSize = 32, Heads = 2, FeedForwardSize = 64, EncoderLayers = 1, DecoderLayers = 1, Vocabulary = data.Vocabulary.Count, Dropout = 0,
        });
        var (first, last) = Train(tiny, data.TrainingBatches(16, seed: 1, CPU).Take(100), learningRate: 5e-3);
        Console.WriteLine($"copy task: loss {first:F3} -> {last:F3}");
        Assert.True(last < 0.5 * first, $"the copy task's loss went from {first:F3} to {last:F3}");
        using (var test = data.TestBatches(64, CPU).First())
        using (no_grad())
        using (var logits = tiny.call(test.Source, test.DecoderInput))
        {
            Console.WriteLine($"copy task: test token accuracy {test.TokenAccuracy(logits):F3}");
            Assert.True(test.TokenAccuracy(logits) > 0.4, $"token accuracy {test.TokenAccuracy(logits)} on the test pairs");
        }

        // The zoo's transformer-small at its own sizes with this vocabulary: three steps on one batch lower its loss.
        var small = Zoo.CreateTransformer("transformer-small", seed: 1, device: CPU, vocabulary: data.Vocabulary.Count);
        using var batch = data.TrainingBatches(8, seed: 2, CPU).First();
        var (before, after) = Train(small, Enumerable.Repeat(batch, 3), learningRate: 1e-3, dispose: false);
        Console.WriteLine($"transformer-small: loss {before:F3} -> {after:F3}");
        Assert.True(after < before, $"transformer-small's loss went from {before:F3} to {after:F3}");
    }

    private static (double First, double Last) Train(Transformer model, IEnumerable<SequenceBatch> batches, double learningRate, bool dispose = true)
    {
        model.train();
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        var losses = new List<double>();
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var loss = batch.Loss(model.call(batch.Source, batch.DecoderInput));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
            if (dispose) batch.Dispose();
        }
        // Means over the first and last tenth, so one lucky batch decides nothing.
        int k = Math.Max(1, losses.Count / 10);
        return (losses.Take(k).Average(), losses.TakeLast(k).Average());
    }
}
