using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

public class BadLotteryInputTests
{
    [Theory]
    [InlineData(double.NaN, null, "Rate")]
    [InlineData(0.2, double.NaN, "OutputLayerRate")]
    public void A_pruning_rate_that_is_not_a_number_is_rejected_before_any_training(double rate, double? outputRate, string setting)
    {
        using var data = Datasets.Synthetic(trainCount: 40, testCount: 20, seed: 1, device: CPU);
        int modelsBuilt = 0;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Lottery.Run("nan-rate", seed => { modelsBuilt++; return Zoo.LeNet300_100(seed, device: CPU); },
            data, new TrainConfig { Steps = 2, BatchSize = 10 }, new LotteryConfig { Rounds = 1, Rate = rate, OutputLayerRate = outputRate }));
        Assert.Equal(setting, e.ParamName);
        Assert.Equal(0, modelsBuilt);
    }
}
