using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace SparsityKit.Tests.Training;

/// <summary>Label smoothing, weight decay that skips biases and norms, and top-5 accuracy.</summary>
public class TrainingFeatureTests
{
    // Logits (2, 0, -1) for label 0: log-softmax by hand, then the smoothed target 1 - e + e/3 on the label, e/3 elsewhere.
    private static double SmoothedLoss(double epsilon)
    {
        double[] logits = [2, 0, -1];
        double logSum = Math.Log(logits.Sum(Math.Exp));
        double[] logP = logits.Select(z => z - logSum).ToArray();
        return -((1 - epsilon + epsilon / 3) * logP[0] + epsilon / 3 * (logP[1] + logP[2]));
    }

    [Fact]
    public void Smoothed_loss_equals_the_hand_computed_value()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 2, 0, -1 }).reshape(1, 3);
        var labels = tensor(new long[] { 0 });
        var config = new TrainConfig { LabelSmoothing = 0.1 };
        Assert.Equal(SmoothedLoss(0.1), config.TrainingLoss(logits, labels).item<float>(), 5);
        Assert.Equal(SmoothedLoss(0), new TrainConfig().TrainingLoss(logits, labels).item<float>(), 5);
        Assert.NotEqual(SmoothedLoss(0), SmoothedLoss(0.1), 3);
    }

    // A model whose logits are its bias (2, 0, -1) whatever the input: the first step's loss is known by hand.
    private sealed class ConstantLogits : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter bias = new(tensor(new float[] { 2, 0, -1 }));
        public ConstantLogits() : base(nameof(ConstantLogits)) => RegisterComponents();
        public override Tensor forward(Tensor input) => bias.expand(input.shape[0], 3);
    }

    [Fact]
    public void The_trainer_reports_the_smoothed_loss()
    {
        using var data = Datasets.Synthetic(trainCount: 40, testCount: 10, classCount: 3, seed: 1, device: CPU);
        // Labels vary, so compare with the mean over the batch of the hand value at each label.
        var config = new TrainConfig { Steps = 1, BatchSize = 40, LabelSmoothing = 0.2, Optimizer = new Sgd(1e-9), ReportEvery = 1 };
        using var session = new TrainingSession(new ConstantLogits(), data, config);
        session.Start();
        session.Step();
        double[] perLabel = [.. Enumerable.Range(0, 3).Select(label => HandLoss(label, 0.2))];
        double expected = data.TrainLabels.data<long>().Average(label => perLabel[label]);
        Assert.Equal(expected, session.TakeMeanLoss(), 5);
    }

    private static double HandLoss(int label, double epsilon)
    {
        double[] logits = [2, 0, -1];
        double logSum = Math.Log(logits.Sum(Math.Exp));
        return -Enumerable.Range(0, 3).Sum(k => ((k == label ? 1 - epsilon : 0) + epsilon / 3) * (logits[k] - logSum));
    }

    [Theory]
    [InlineData("sgd", true)]
    [InlineData("adam", true)]
    [InlineData("adam", false)]   // libtorch ops instead of the fused kernel
    public void Weight_decay_skips_biases_and_norms_but_shrinks_weights(string optimizer, bool fused)
    {
        using var scope = NewDisposeScope();
        Seeding.Set(1);
        var model = nn.Sequential(("linear", nn.Linear(4, 8)), ("norm", nn.BatchNorm1d(8)), ("out", nn.Linear(8, 3)), ("ln", nn.LayerNorm(3)));
        var parameters = model.named_parameters().Select(np => (np.name, np.parameter)).ToList();
        OptimizerSettings settings = optimizer == "sgd" ? new Sgd(0.1, WeightDecay: 0.5) : new Adam(0.1, WeightDecay: 0.5);
        using var opt = new TrainConfig { Optimizer = settings, WeightDecaySkipsBiasesAndNorms = true }.CreateOptimizer(parameters);
        if (opt is AdamOptimizer adam) adam.UseFusedKernel = fused;
        var before = parameters.ToDictionary(np => np.name, np => np.parameter.detach().clone());
        foreach (var (_, p) in parameters) p.grad = zeros_like(p);   // only decay can move a parameter
        opt.Step();
        foreach (var (name, p) in parameters)
        {
            bool unchanged = p.allclose(before[name], 0, 0);
            if (p.dim() >= 2) Assert.False(unchanged, $"{name} ({p.dim()}-D) should have decayed");
            else Assert.True(unchanged, $"{name} ({p.dim()}-D, a bias or norm parameter) should not have decayed");
        }
        // Without the setting every parameter decays, biases and norms included.
        var all = new TrainConfig { Optimizer = settings }.CreateOptimizer(parameters);
        foreach (var (_, p) in parameters) p.grad = zeros_like(p);
        var norm = parameters.Single(np => np.name == "norm.weight").parameter;
        var normBefore = norm.detach().clone();
        all.Step();
        Assert.False(norm.allclose(normBefore, 0, 0), "without the setting, the norm's scale decays too");
        all.Dispose();
    }

    // VD's log sigma^2 and L0's gate logits are not weights: decaying log sigma^2 (from -10 towards 0) raises VD's noise
    // until it swamps the weights, whatever the KL term says.
    [Theory]
    [InlineData("vd", "log_sigma2", "theta")]
    [InlineData("l0", "log_alpha", "weight")]
    public void Weight_decay_never_moves_the_training_only_parameters_of_variational_dropout_and_L0_layers(string kind, string trainingOnly, string weight)
    {
        using var scope = NewDisposeScope();
        ILayerFactory layers = kind == "vd" ? new VariationalDropoutLayers() : new L0Layers();
        var model = Zoo.LeNet300_100(seed: 1, layers: layers, device: CPU);
        var config = new TrainConfig { Optimizer = new Sgd(0.1, WeightDecay: 0.5) };
        using var opt = config.CreateOptimizer(model);
        var parameters = model.named_parameters().ToList();
        var before = parameters.ToDictionary(np => np.name, np => np.parameter.detach().clone());
        foreach (var (_, p) in parameters) p.grad = zeros_like(p);   // only decay can move a parameter
        opt.Step();
        foreach (var (name, p) in parameters.Where(np => np.name.EndsWith(trainingOnly)))
            Assert.True(p.allclose(before[name], 0, 0), $"{name} is training-only and must not decay");
        foreach (var (name, p) in parameters.Where(np => np.name.EndsWith(weight)))
            Assert.False(p.allclose(before[name], 0, 0), $"{name} is a weight and should decay");
        Assert.True(config.ExemptsTrainingOnlyParameters(model));                                        // so a run's key says so
        Assert.False((config with { Optimizer = new Sgd(0.1) }).ExemptsTrainingOnlyParameters(model));   // no decay: keys as before
        Assert.False(config.ExemptsTrainingOnlyParameters(Zoo.LeNet300_100(seed: 1, device: CPU)));       // nothing training-only
    }

    [Fact]
    public void Skipping_decay_with_no_decay_and_no_smoothing_leaves_training_bit_identical()
    {
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 50, seed: 1, device: CPU);
        var config = new TrainConfig { Steps = 20, BatchSize = 20, EvaluateEvery = 10, ReportEvery = 10, Optimizer = new Sgd(0.05, Momentum: 0.9) };
        var a = Trainer.Train(Zoo.LeNet300_100(seed: 3, device: CPU), data, config);
        var b = Trainer.Train(Zoo.LeNet300_100(seed: 3, device: CPU), data, config with { WeightDecaySkipsBiasesAndNorms = true });
        Assert.Equal(a.History, b.History);
        var c = Trainer.Train(Zoo.LeNet300_100(seed: 3, device: CPU), data, config with { LabelSmoothing = 0.1 });
        Assert.NotEqual(a.Final.TrainLoss, c.Final.TrainLoss);
    }

    [Fact]
    public void New_settings_enter_the_run_key_only_when_set()
    {
        string plain = CanonicalDescription.Of(new TrainConfig());
        Assert.DoesNotContain("LabelSmoothing", plain);
        Assert.DoesNotContain("WeightDecaySkipsBiasesAndNorms", plain);
        Assert.Contains("LabelSmoothing=0.1;", CanonicalDescription.Of(new TrainConfig { LabelSmoothing = 0.1 }));
        Assert.Contains("WeightDecaySkipsBiasesAndNorms=true;", CanonicalDescription.Of(new TrainConfig { WeightDecaySkipsBiasesAndNorms = true }));
        Assert.NotEqual(new TrainConfig(), new TrainConfig { LabelSmoothing = 0.1 });
    }

    [Fact]
    public void Label_smoothing_outside_zero_to_one_is_rejected_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainConfig { LabelSmoothing = 1 }.Validate());
        Assert.Equal("LabelSmoothing", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainConfig { LabelSmoothing = double.NaN }.Validate());
    }

    [Fact]
    public void Top5_counts_labels_among_the_five_highest_logits()
    {
        using var scope = NewDisposeScope();
        // Seven classes; the label ranks 1st, 5th, 6th and 7th in its row: two hits of four.
        var logits = tensor(new float[,]
        {
            { 9, 1, 2, 3, 4, 5, 6 },   // label 0: 1st
            { 7, 6, 5, 4, 3, 2, 1 },   // label 4: 5th
            { 7, 6, 5, 4, 3, 2, 1 },   // label 5: 6th
            { 1, 2, 3, 4, 5, 6, 7 },   // label 0: 7th
        });
        var labels = tensor(new long[] { 0, 4, 5, 0 });
        Assert.Equal(2, Evaluation.TopFiveHits(logits, labels).item<long>());
        // Through Measure, with a model that passes its input through: top-1 1 of 4, top-5 2 of 4.
        var scores = Evaluation.Measure(nn.Identity(), logits, labels, batchSize: 3);
        Assert.Equal(0.25, scores.Accuracy);
        Assert.Equal(0.5, scores.Top5Accuracy);
        // Five classes or fewer: no top-5 (it would always be 100%).
        Assert.Null(Evaluation.Measure(nn.Identity(), logits.narrow(1, 0, 5), labels.clamp_max(4)).Top5Accuracy);
    }

    [Fact]
    public void Records_keep_top1_and_add_top5()
    {
        using var data = Datasets.Synthetic(trainCount: 100, testCount: 40, seed: 2, device: CPU);
        var run = Trainer.Train(Zoo.LeNet300_100(seed: 1, device: CPU), data, new TrainConfig { Steps = 5, BatchSize = 20, ReportEvery = 5 });
        var record = Records.From(run, "e", "dense", 1, data.ImageShape);
        Assert.Equal(run.Final.TestAccuracy, record.TestAccuracy);
        Assert.NotNull(record.TestTop5Accuracy);
        Assert.True(record.TestTop5Accuracy >= record.TestAccuracy, $"top-5 {record.TestTop5Accuracy} below top-1 {record.TestAccuracy}");
    }
}
