using SparsityKit.Training;

namespace SparsityKit.Tests.Training;

public class PresetTests
{
    public static TheoryData<string> Names() =>
        new(typeof(Presets).GetProperties().Where(p => p.PropertyType == typeof(TrainConfig)).Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_preset_is_a_valid_config(string name)
    {
        var config = (TrainConfig)typeof(Presets).GetProperty(name)!.GetValue(null)!;
        config.Validate();
        Assert.True(config.Steps > 0);
    }

    // The rate the trainer sets for 0-based step `step`: base rate x schedule factor.
    private static double Rate(TrainConfig config, long step) => config.Optimizer.LearningRate * config.Schedule.Factor(step, config.Steps);

    [Fact]
    public void He_et_al_divide_the_rate_by_ten_at_32k_and_48k()
    {
        var he = Presets.HeCifarResNet;
        Assert.Equal(0.1, Rate(he, 31_999), 12);
        Assert.Equal(0.01, Rate(he, 32_000), 12);
        Assert.Equal(0.001, Rate(he, 48_000), 12);
        Assert.Equal(64_000, he.Steps);
    }

    [Fact]
    public void RigL_mnist_recipe_divides_the_rate_by_three_at_epochs_75_and_95_and_stops_mask_updates_at_50k()
    {
        var rigl = Presets.RigLMnistLeNet300();
        rigl.Validate();
        Assert.Equal((120_000, 100), (rigl.Steps, rigl.BatchSize));
        Assert.Equal(new Sgd(0.2, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4), rigl.Optimizer);
        Assert.True(rigl.WeightDecaySkipsBiasesAndNorms, "TensorFlow's kernel regularizer decays weights only");
        Assert.Equal(0.2, Rate(rigl, 44_999), 12);          // epoch 75 begins at step 75 x 600 = 45,000
        Assert.Equal(0.2 / 3, Rate(rigl, 45_000), 12);
        Assert.Equal(0.2 / 9, Rate(rigl, 57_000), 12);      // epoch 95
        var masks = Presets.RigLMnistDropAndGrow;
        Assert.True(masks.IsUpdateStep(49_900, rigl.Steps));
        Assert.False(masks.IsUpdateStep(50_000, rigl.Steps));
        // A shorter run keeps the proportions.
        Assert.Equal(0.2 / 3, Rate(Presets.RigLMnistLeNet300(1_200), 450), 12);
    }

    [Fact]
    public void Gale_resnet50_warms_up_for_five_epochs_and_decays_at_epochs_30_60_80()
    {
        var gale = Presets.GaleResNet50;
        double stepsPerEpoch = 1_281_167 / 1024.0;
        Assert.Equal(0.4, Rate(gale, (long)(5 * stepsPerEpoch) + 1), 12);           // warm-up over
        Assert.True(Rate(gale, 100) < 0.01, "the rate starts low during warm-up");
        Assert.Equal(0.4, Rate(gale, (long)(30 * stepsPerEpoch)), 12);              // still epoch 29.99..
        Assert.Equal(0.04, Rate(gale, (long)(30 * stepsPerEpoch) + 1), 12);
        Assert.Equal(0.0004, Rate(gale, (long)(80 * stepsPerEpoch) + 1), 12);
        Assert.Equal(0.1, gale.LabelSmoothing);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000)]
    [InlineData(4_000)]
    [InlineData(4_001)]
    [InlineData(16_000)]
    [InlineData(100_000)]
    public void Vaswani_rate_follows_their_formula(long s)   // s is their 1-based step_num
    {
        double expected = Math.Pow(512, -0.5) * Math.Min(Math.Pow(s, -0.5), s * Math.Pow(4_000, -1.5));
        Assert.Equal(expected, Rate(Presets.VaswaniTransformerBase, s - 1), 12);
    }

    [Fact]
    public void Inverse_square_root_decay_needs_a_warmup()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new InverseSquareRootDecay(0).Validate());
        Assert.Equal("WarmupSteps", e.ParamName);
    }
}
