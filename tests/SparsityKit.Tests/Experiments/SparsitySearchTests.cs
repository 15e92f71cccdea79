using SparsityKit.Experiments;

namespace SparsityKit.Tests.Experiments;

public class SparsitySearchTests
{
    // A stand-in for training: sparsity rises smoothly with the regularisation weight.
    private static (string, double) Train(double knob) => ($"run at {knob}", 1 - Math.Exp(-knob));

    [Theory]
    [InlineData(0.9, 0.01)]     // initial knob too weak: the search multiplies up, then bisects
    [InlineData(0.9, 100.0)]    // initial knob too strong: it divides down
    [InlineData(0.5, 0.7)]
    public void Brackets_then_bisects_to_the_target_and_reports_the_achieved_sparsity(double target, double initial)
    {
        var result = SparsitySearch.Run(target, Train, initial, factor: 4, maxTrials: 20, tolerance: 0.002);
        Assert.True(result.Reached(0.002), result.ToString());
        Assert.Equal(1 - Math.Exp(-result.Best.Knob), result.Best.Sparsity, 12);
        Assert.Equal($"run at {result.Best.Knob}", result.Best.Result);
        Assert.True(result.Trials.Count <= 12, result.ToString());
    }

    [Fact]
    public void Stops_after_the_trial_budget_and_keeps_the_closest_trial()
    {
        var seen = new List<double>();
        var result = SparsitySearch.Run(0.99, Train, 0.01, factor: 2, maxTrials: 3, onTrial: t => seen.Add(t.Knob));
        Assert.Equal(3, result.Trials.Count);
        Assert.Equal(new[] { 0.01, 0.02, 0.04 }, seen);
        Assert.Equal(0.04, result.Best.Knob);
        Assert.False(result.Reached(0.01));
    }

    [Fact]
    public void A_target_outside_0_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SparsitySearch.Run(1.5, Train, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparsitySearch.Run(0.5, Train, 0));
    }
}
