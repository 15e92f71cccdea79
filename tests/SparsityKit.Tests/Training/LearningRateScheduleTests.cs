using SparsityKit.Training;

namespace SparsityKit.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Warmup_rises_linearly_to_the_base_rate()
    {
        var s = new ConstantRate(WarmupSteps: 4);
        Assert.Equal(new[] { 0.25, 0.5, 0.75, 1.0, 1.0 }, Enumerable.Range(0, 5).Select(i => s.Factor(i, 10)));
        Assert.False(s.IsConstant);
        Assert.True(LearningRateSchedule.Constant.IsConstant);
    }

    [Fact]
    public void Step_decay_multiplies_by_gamma_at_each_milestone()
    {
        var s = new StepDecay([10, 20], Gamma: 0.1);
        Assert.Equal(1.0, s.Factor(9, 30));
        Assert.Equal(0.1, s.Factor(10, 30), 12);
        Assert.Equal(0.01, s.Factor(25, 30), 12);
    }

    [Fact]
    public void Cosine_goes_from_one_through_the_middle_to_the_final_factor()
    {
        var s = new CosineDecay(FinalFactor: 0.1, WarmupSteps: 10);
        Assert.Equal(1.0, s.Factor(10, 110), 12);
        Assert.Equal(0.55, s.Factor(60, 110), 12);
        Assert.Equal(0.1, s.Factor(110, 110), 12);
    }
}
