using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Training;

/// <summary>The Transformer through the trainer and its methods, on packed sequence pairs.</summary>
public class TransformerTrainingTests
{
    private static readonly SequencePairs Copy =
        SequencePairs.Synthetic(SequenceTask.Copy, trainCount: 512, testCount: 64, symbols: 6, minLength: 3, maxLength: 5, seed: 1);

    private static Transformer Tiny(int vocabulary) => new(DenseLayers.Default, TransformerConfig.Small with
    {
        ModelSize = 32, Heads = 2, FeedForwardSize = 64, EncoderLayers = 1, DecoderLayers = 1, Vocabulary = vocabulary, Dropout = 0,
    });

    private static ModelFactory TinyFactory(int vocabulary) => seed =>
    {
        Seeding.Set(seed);
        return new PackedTransformer(Tiny(vocabulary));
    };

    [Fact]
    public void A_pair_is_packed_as_source_and_decoder_input_with_the_target_as_labels_and_padding_ignored()
    {
        var pairs = new SequencePairs("two", Vocabulary.Of(["a", "b", "c"]), [([4, 5, 6], [6, 5, 4]), ([5], [5])], []);
        using var data = pairs.ToDataset();
        Assert.Equal([2L, 4], data.ImageShape);   // the longest side and <eos>: 4 tokens
        Assert.Equal(new long[] { 4, 5, 6, Vocabulary.Eos, Vocabulary.Bos, 6, 5, 4 }, data.TrainImages[0].flatten().data<long>().ToArray());
        Assert.Equal(new long[] { 5, Vocabulary.Eos, 0, 0, Vocabulary.Bos, 5, 0, 0 }, data.TrainImages[1].flatten().data<long>().ToArray());
        Assert.Equal(new long[] { 5, Vocabulary.Eos, PackedSequencePairs.IgnoredLabel, PackedSequencePairs.IgnoredLabel },
            data.TrainLabels[1].data<long>().ToArray());
        Assert.Equal(pairs.Vocabulary.Count, data.ClassCount);
    }

    [Fact]
    public void Padding_in_the_source_changes_no_prediction()
    {
        // One pair alone, then beside a longer one (so padded with 5 more <pad>): the same logits at its target positions.
        Seeding.Set(4);
        var model = Tiny(Copy.Vocabulary.Count);
        model.eval();
        (int[], int[]) pair = ([4, 5, 6], [6, 5, 4]), longer = ([4, 4, 4, 4, 4, 4, 4, 4], [5, 5, 5]);
        using var alone = SequencePairs.Batch([pair], [0]);
        using var padded = SequencePairs.Batch([pair, longer], [0, 1]);
        Assert.Equal(9, padded.Source.shape[1]);
        using var noGrad = no_grad();
        using var expected = model.call(alone.Source, alone.DecoderInput);
        using var actual = model.call(padded.Source, padded.DecoderInput)[0..1];
        Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-5), $"largest difference {(expected - actual).abs().max().item<float>()}");
    }

    [Fact]
    public void The_trainer_prunes_a_transformer_gradually_and_measures_token_accuracy_over_the_targets_only()
    {
        using var single = new SingleThread();
        using var data = Copy.ToDataset();
        var model = TinyFactory(Copy.Vocabulary.Count)(3);
        var config = new TrainConfig { Steps = 150, BatchSize = 16, Optimizer = new Adam(5e-3), EvaluateEvery = 0 };
        var method = new MagnitudePruning(SparsityDistribution.Uniform(0.5), PruningSchedule.Gradual(0, 100, 10));
        var run = Trainer.Train(model, data, config, method);

        // The trainer's accuracy is SequenceBatch's teacher-forced token accuracy, over real target tokens, not padding.
        double byHand;
        using (no_grad())
        using (var test = SequencePairs.Batch(Copy.Test, Enumerable.Range(0, Copy.Test.Count)))
        {
            model.eval();
            using var logits = ((PackedTransformer)model).Transformer.call(test.Source, test.DecoderInput);
            byHand = test.TokenAccuracy(logits);
        }
        Assert.Equal(byHand, run.TestAccuracy, 6);
        Assert.True(run.TestAccuracy > 0.4, $"token accuracy {run.TestAccuracy:P1} on the copy task");

        var report = SparsityReport.Of(model, data.ImageShape, method.Masks);
        Assert.Equal(0.5, report.Sparsity, 2);
        Assert.Contains(report.Layers, l => l.Name == "transformer.embedding.weight");   // the shared embedding is pruned too
        Assert.True(report.Layers.All(l => l.DenseFlops > 0), "every prunable weight has a FLOP count");
    }

    [Fact]
    public void The_same_seed_trains_a_transformer_to_bit_identical_weights()
    {
        using var single = new SingleThread();
        using var data = Copy.ToDataset();
        var config = new TrainConfig { Steps = 10, BatchSize = 16, Optimizer = new Adam(5e-3), EvaluateEvery = 0, DataSeed = 5 };
        float[] Train()
        {
            using var model = TinyFactory(Copy.Vocabulary.Count)(7);
            Trainer.Train(model, data, config, new MagnitudePruning(SparsityDistribution.Uniform(0.5), PruningSchedule.Gradual(0, 8, 2)));
            return model.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
        }
        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void A_lottery_round_runs_on_a_transformer()
    {
        using var single = new SingleThread();
        using var data = Copy.ToDataset();
        var config = new TrainConfig { Steps = 20, BatchSize = 16, Optimizer = new Adam(5e-3), EvaluateEvery = 0 };
        var result = Lottery.Run("transformer-lottery", TinyFactory(Copy.Vocabulary.Count), data, config,
            new LotteryConfig { Rounds = 1, Seeds = [1], Controls = LotteryControls.None }, new RunStore(TestFiles.TemporaryDirectory()));
        var ticket = Assert.Single(result.Records, r => r.Kind == "ticket");
        Assert.InRange(ticket.Sparsity, 0.15, 0.25);   // one round at the default 20%
        Assert.InRange(ticket.TestAccuracy, 0, 1);
    }

    [Theory]
    [InlineData("variational-dropout"), InlineData("l0")]
    public void The_trainer_trains_the_zoo_transformer_s_regularised_versions(string kind)
    {
        using var single = new SingleThread();
        using var data = Copy.ToDataset();
        ILayerFactory layers = kind == "l0" ? new L0Layers() : new VariationalDropoutLayers();
        TrainingMethod method = kind == "l0" ? new L0Regularization(lambda: 0.1) : new VariationalDropout();
        var model = new PackedTransformer(Zoo.CreateTransformer("transformer-small", seed: 1, layers: layers, device: CPU, vocabulary: Copy.Vocabulary.Count));
        var config = new TrainConfig { Steps = 2, BatchSize = 8, Optimizer = new Adam(1e-3), EvaluateEvery = 0 };
        var run = Trainer.Train(model, data, config, method);
        Assert.True(double.IsFinite(run.Final.TestLoss), $"{kind}: test loss {run.Final.TestLoss}");
        Assert.InRange(run.TestAccuracy, 0, 1);
    }
}
