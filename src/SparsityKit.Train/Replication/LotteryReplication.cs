using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;

namespace SparsityKit.Train.Replication;

/// <summary>
/// Issue 4's check: Frankle and Carbin's LeNet-300-100 lottery tickets on MNIST (Adam 1.2e-3, batch 60, 20% per round,
/// output layer 10%), with the random-reinit (= scratch-E), random-mask and scratch-B controls, over several seeds.
/// </summary>
internal static class LotteryReplication
{
    public static string Run(Dataset data, RunStore store, ReplicationOptions options, IProgress<TrainingProgress>? progress = null)
    {
        var config = Presets.LotteryTicketLeNet300 with { Steps = options.Steps ?? 5_000, EvaluateEvery = 100 };   // as Frankle and Carbin: coarser evaluation puts floors under the early-stopping step
        var lottery = new LotteryConfig
        {
            Rounds = options.Rounds ?? 12, Seeds = options.Seeds,
            Controls = options.ScratchB ? LotteryControls.All : LotteryControls.RandomReinit | LotteryControls.RandomMask,
            SeedSetsBatchOrder = true,   // trials differ in batch order as well as initialisation, as Frankle and Carbin's
        };
        var result = Lottery.Run("lenet300-lottery", seed => Zoo.LeNet300_100(seed, device: data.Device), data, config, lottery, store, progress);
        return $"{data}\n{config.Steps} steps per run, Adam 1.2e-3 constant, batch 60, evaluation every {config.EvaluateEvery} steps; {lottery}\n" +
            $"{result.Computed} runs computed, {result.Loaded} loaded\n" +
            RecordSummary.Table(result.Records, r => r.EarlyStopTestAccuracy, "test accuracy at early stopping (minimum validation loss)") + "\n" +
            RecordSummary.Table(result.Records, r => r.TestAccuracy, "test accuracy at the end of training") + "\n" +
            RecordSummary.Table(result.Records, r => r.EarlyStopStep, "early-stopping step", unit: "steps");
    }
}
