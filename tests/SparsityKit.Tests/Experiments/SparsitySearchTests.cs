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

    // L0's and VD's sparsity is close to a straight line in logit(sparsity) against log(knob); here exactly one.
    private static (string, double) Logistic(double knob) => ($"run at {knob}", Math.Pow(knob, 1.3) / (1 + Math.Pow(knob, 1.3)));

    [Fact]
    public void Once_bracketed_it_interpolates_in_logit_and_log_instead_of_bisecting()
    {
        // Bracketing runs 1, 3, 9 and 27 (sparsity 0.50, 0.81, 0.94, 0.986); the line through 9 and 27 hits 0.98 exactly.
        // Bisecting the bracket geometrically would need about ten more runs for this tolerance.
        var result = SparsitySearch.Run(0.98, Logistic, 1, factor: 3, maxTrials: 20, tolerance: 1e-6);
        Assert.True(result.Reached(1e-6), result.ToString());
        Assert.Equal(5, result.Trials.Count);
    }

    [Fact]
    public void Known_trials_give_the_starting_bracket_and_one_close_enough_runs_nothing()
    {
        SearchTrial<string> Known(double knob) { var (r, s) = Logistic(knob); return new(knob, s, r); }
        var asked = new List<double>();
        (string, double) Counting(double knob) { asked.Add(knob); return Logistic(knob); }

        var result = SparsitySearch.Run(0.9, Counting, initialKnob: 1000, factor: 3, maxTrials: 20, tolerance: 1e-3,
            known: [Known(0.5), Known(2), Known(50), Known(400)]);
        Assert.True(result.Reached(1e-3), result.ToString());
        Assert.InRange(asked[0], 2, 50);   // not the initial knob: the tightest known bracket, 2 to 50
        Assert.Equal(4 + asked.Count, result.Trials.Count);

        asked.Clear();
        var again = SparsitySearch.Run(0.9, Counting, initialKnob: 1000, known: result.Trials, tolerance: 1e-3);
        Assert.Empty(asked);
        Assert.Equal(result.Best, again.Best);
    }

    [Fact]
    public void Known_trials_out_of_order_from_noise_make_it_bisect_not_fail()
    {
        // Noise can put a knob that fell short above one that overshot; the search then bisects between them.
        var asked = new List<double>();
        SparsitySearch.Run(0.5, k => { asked.Add(k); return ("", 0.5); }, initialKnob: 1, maxTrials: 1,
            known: [new SearchTrial<string>(10, 0.4, ""), new SearchTrial<string>(5, 0.6, "")]);
        Assert.Equal(Math.Sqrt(50), asked.Single(), 12);
    }

    [Fact]
    public void A_target_outside_0_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SparsitySearch.Run(1.5, Train, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparsitySearch.Run(0.5, Train, 0));
    }
}
