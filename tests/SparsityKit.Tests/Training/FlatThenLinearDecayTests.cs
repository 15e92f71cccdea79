using SparsityKit.Training;

namespace SparsityKit.Tests.Training;

public class FlatThenLinearDecayTests
{
    [Fact]
    public void Flat_for_the_first_part_then_linear_to_zero()
    {
        var schedule = new FlatThenLinearDecay(0.5);
        Assert.Equal(1, schedule.Factor(0, 200));
        Assert.Equal(1, schedule.Factor(99, 200));
        Assert.Equal(1, schedule.Factor(100, 200));
        Assert.Equal(0.5, schedule.Factor(150, 200), 12);
        Assert.Equal(0.01, schedule.Factor(199, 200), 12);
        Assert.Equal(0.25, new FlatThenLinearDecay(0).Factor(150, 200), 12);
        Assert.False(schedule.IsConstant);
    }
}
