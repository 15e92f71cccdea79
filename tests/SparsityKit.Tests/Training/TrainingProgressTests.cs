using SparsityKit.Training;

namespace SparsityKit.Tests.Training;

public class TrainingProgressTests
{
    [Fact]
    public void A_slow_run_shows_its_rate_with_decimals_a_fast_one_in_whole_steps()
    {
        // A ResNet-20 VD run on one core: 57 steps in 100 s. Whole numbers showed "1 steps/s" for 0.57 and 1.6 alike.
        var slow = new TrainingProgress("variational dropout seed 1", 57, 3_752, 0.6, 0.8, TimeSpan.FromSeconds(100));
        Assert.EndsWith(" 0.57 steps/s", slow.ToString());
        var fast = new TrainingProgress("ticket", 4_290, 50_000, 0.01, 0.98, TimeSpan.FromSeconds(10));
        Assert.EndsWith(" 429 steps/s", fast.ToString());
    }
}
