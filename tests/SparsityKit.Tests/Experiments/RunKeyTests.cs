using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

/// <summary>A run is keyed by everything that can change its result, and a sweep that could not finish is refused up front.</summary>
public class RunKeyTests
{
    private static readonly TrainConfig Short = new() { Steps = 20, BatchSize = 20, EvaluateEvery = 10 };
    private static readonly ModelFactory LeNet = seed => Zoo.LeNet300_100(seed, device: CPU);

    private static Dataset Synthetic(int trainCount = 200) => Datasets.Synthetic(trainCount: trainCount, testCount: 60, seed: 3, device: CPU);

    private static SweepMethod Gradual(long every) =>
        new("magnitude", (s, _) => new MagnitudePruning(SparsityDistribution.Uniform(s), PruningSchedule.Gradual(0, 10, every)));

    /// <summary>
    /// The description of notebook 02's full-mode training config as the run store holds it for runs made before later
    /// settings (augmentation, label smoothing, ...) existed: a setting added since must leave it unchanged while unset,
    /// or every stored run would be trained again.
    /// </summary>
    [Fact]
    public void Settings_added_later_leave_the_keys_of_stored_runs_unchanged_while_unset()
    {
        var config = Presets.LotteryTicketLeNet300 with { Steps = 50_000, EvaluateEvery = 100, DataSeed = 1 };
        Assert.Equal(
            "TrainConfig{BatchSize=60;DataSeed=1;EvaluateEvery=100;EvaluationBatchSize=2000;Optimizer=Adam{Beta1=0.9;Beta2=0.999;" +
            "Epsilon=1E-08;LearningRate=0.0012;WeightDecay=0;};ReportEvery=100;Schedule=ConstantRate{WarmupSteps=0;};SnapshotSteps=[];Steps=50000;}",
            CanonicalDescription.Of(config));
    }

    [Fact]
    public void Changing_a_methods_schedule_under_the_same_name_trains_anew()
    {
        using var data = Synthetic();
        var store = new RunStore(TestFiles.TemporaryDirectory());
        int trained = 0;
        var progress = new FinishedCounter(() => trained++);
        var first = Sweep.Run("keys", [Gradual(every: 5)], [0.5], [1], LeNet, data, Short, store, progress);
        var second = Sweep.Run("keys", [Gradual(every: 2)], [0.5], [1], LeNet, data, Short, store, progress);
        Assert.Equal(2, trained);
        Assert.NotEqual(first[0].Config, second[0].Config);
        Assert.Contains("Every=2", second[0].Config);
    }

    [Fact]
    public void A_variational_dropout_kl_weight_or_an_l0_lambda_changes_the_key()
    {
        Assert.NotEqual(CanonicalDescription.Of(new VariationalDropout(klWeight: 1)), CanonicalDescription.Of(new VariationalDropout(klWeight: 0.5)));
        Assert.NotEqual(CanonicalDescription.Of(new L0Regularization(0.1)), CanonicalDescription.Of(new L0Regularization(0.2)));
        Assert.Equal(CanonicalDescription.Of(new L0Regularization(0.1)), CanonicalDescription.Of(new L0Regularization(0.1)));
        // A random criterion's seed lives in a primary-constructor field: it counts too.
        Assert.NotEqual(CanonicalDescription.Of(PruningCriterion.Random(1)), CanonicalDescription.Of(PruningCriterion.Random(2)));
    }

    [Fact]
    public void Step_decay_milestones_are_described_by_their_values()
    {
        var description = CanonicalDescription.Of(Short with { Schedule = new StepDecay([100, 200], 0.5) });
        Assert.DoesNotContain("System.Collections", description);
        Assert.Contains("[100,200]", description);
        Assert.NotEqual(description, CanonicalDescription.Of(Short with { Schedule = new StepDecay([100, 300], 0.5) }));
    }

    [Fact]
    public void The_data_sets_size_and_the_lottery_evaluation_frequency_change_keys()
    {
        using var small = Synthetic(200);
        using var large = Synthetic(240);
        Assert.NotEqual(CanonicalDescription.Of(small), CanonicalDescription.Of(large));

        var store = new RunStore(TestFiles.TemporaryDirectory());
        var lottery = new LotteryConfig { Rounds = 0, Controls = LotteryControls.None };
        Assert.Equal(1, Lottery.Run("eval", LeNet, small, Short, lottery, store).Computed);
        Assert.Equal(1, Lottery.Run("eval", LeNet, small, Short with { EvaluateEvery = 5 }, lottery, store).Computed);
        Assert.Equal(0, Lottery.Run("eval", LeNet, small, Short, lottery, store).Computed);
    }

    [Fact]
    public void The_record_holds_the_description_its_key_was_hashed_from()
    {
        using var data = Synthetic();
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var record = Sweep.Run("described", [Gradual(every: 5)], [0.5], [7], LeNet, data, Short, store)[0];
        foreach (var part in new[] { "model: model{", "data: data{", "config: TrainConfig{", "method: MagnitudePruning{", "target: 0.5", "seed: 7" })
            Assert.Contains(part, record.Config);
        var file = Directory.GetFiles(store.Directory, "*.json", SearchOption.AllDirectories).Single();
        Assert.EndsWith(CanonicalDescription.Hash(record.Config) + ".json", file);
        Assert.Equal(TorchSharp.torch.get_num_threads(), record.Threads);
    }

    [Theory]
    [InlineData(new[] { 0.9, 0.90004 }, new long[] { 1 }, "magnitude", "random")]
    [InlineData(new[] { 0.9 }, new long[] { 1, 1 }, "magnitude", "random")]
    [InlineData(new[] { 0.9 }, new long[] { 1 }, "magnitude", "magnitude")]
    [InlineData(new[] { 0.9 }, new long[] { 1 }, "Gradual magnitude", "gradual-magnitude")]
    public async Task Duplicate_sparsities_seeds_or_method_names_are_refused_instead_of_hanging(double[] sparsities, long[] seeds, string a, string b)
    {
        using var data = Synthetic();
        var store = new RunStore(TestFiles.TemporaryDirectory());
        SweepMethod[] methods = [Gradual(5) with { Name = a }, Gradual(5) with { Name = b }];
        var sweep = Task.Run(() => Sweep.Run("dupes", methods, sparsities, seeds, LeNet, data, Short, store, poll: TimeSpan.FromMilliseconds(20)));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sweep.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Matches("twice|same name|same target", error.Message);
    }

    [Fact]
    public void An_experiment_name_cannot_write_outside_the_store()
    {
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var record = new RunRecord { Experiment = "x", Kind = "dense", Seed = 1, Sparsity = 0, TestAccuracy = 0.5, TestLoss = 1, Steps = 1 };
        var error = Assert.Throws<ArgumentException>(() => store.Save("../../escaped", record));
        Assert.Contains("'..'", error.Message);
        Assert.Equal("escaped", RunKey.Slug("../../escaped"));
    }

    [Fact]
    public void A_new_numerics_version_changes_every_key_and_version_1_leaves_descriptions_as_they_were()
    {
        // Version 1 must describe exactly as before the version existed: the committed stores' keys depend on it.
        Assert.Equal("experiment: \"lottery\"\nseed: 3", RunKey.Of(("experiment", "lottery"), ("seed", 3L)).Description);
        var now = RunKey.Of(1, ("experiment", "lottery"), ("seed", 3L));
        var next = RunKey.Of(2, ("experiment", "lottery"), ("seed", 3L));
        Assert.NotEqual(now.Hash, next.Hash);
        Assert.EndsWith("numerics: 2", next.Description);
        // A part appended later (a round, a target) does not repeat the version.
        Assert.Single(next.With(("round", 1)).Description.Split('\n'), line => line.StartsWith("numerics:"));
    }

    internal sealed class FinishedCounter(Action finished) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == value.TotalSteps) finished();
        }
    }
}
