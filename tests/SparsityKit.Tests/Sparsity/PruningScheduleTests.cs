using SparsityKit.Sparsity;

namespace SparsityKit.Tests.Sparsity;

public class PruningScheduleTests
{
    [Fact]
    public void Gradual_schedule_matches_hand_computed_values()
    {
        var s = new GradualSchedule(begin: 1_000, end: 3_000, every: 500, initialSparsity: 0.1, exponent: 3);
        Assert.Equal(0.1, s.SparsityAt(1_000, 0.9), 12);                       // begin: s_i
        Assert.Equal(0.9 - 0.8 * 0.125, s.SparsityAt(2_000, 0.9), 12);        // middle: p = 1/2, (1 - p)^3 = 1/8
        Assert.Equal(0.9 - 0.8 * Math.Pow(0.75, 3), s.SparsityAt(1_500, 0.9), 12);
        Assert.Equal(0.9, s.SparsityAt(3_000, 0.9), 12);                       // end: s_f
        Assert.Equal(0.9, s.SparsityAt(9_000, 0.9), 12);
        Assert.Equal(0.1, s.SparsityAt(0, 0.9), 12);
    }

    [Fact]
    public void Gradual_schedule_prunes_only_every_n_steps_between_begin_and_end()
    {
        var s = PruningSchedule.Gradual(begin: 100, end: 350, every: 100);
        var events = Enumerable.Range(0, 500).Where(t => s.TargetAt(t, 0.9) is not null).ToArray();
        Assert.Equal(new[] { 100, 200, 300, 350 }, events);
        Assert.Equal(0.9, s.TargetAt(350, 0.9));
    }

    [Fact]
    public void Schedule_that_ends_before_it_begins_is_rejected_with_both_steps_named()
    {
        var e = Assert.Throws<ArgumentException>(() => PruningSchedule.Gradual(begin: 5_000, end: 2_000, every: 100));
        Assert.Contains("ends (step 2000) before it begins (step 5000)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PruningSchedule.Gradual(0, 10, every: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PruningSchedule.OneShot(-1));
    }

    [Fact]
    public void One_shot_prunes_once_to_the_final_sparsity()
    {
        var s = PruningSchedule.OneShot(40);
        Assert.Equal(new[] { 40 }, Enumerable.Range(0, 100).Where(t => s.TargetAt(t, 0.7) is not null));
        Assert.Equal(0.7, s.TargetAt(40, 0.7));
    }
}
