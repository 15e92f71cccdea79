using System.Security.Cryptography;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Train.Replication;

/// <summary>
/// The full-size resume check of the reliability issue: LeNet-300-100 on MNIST with Frankle and Carbin's settings and
/// gradual magnitude pruning to 90%, checkpointed through a run store. Killed and run again, it resumes from its last
/// checkpoint; it prints a hash of its final weights, which must equal an uninterrupted run's (scripts/checkpoint-check.sh).
/// </summary>
internal static class CheckpointRun
{
    public static string Run(Dataset data, RunStore store, ReplicationOptions options, IProgress<TrainingProgress>? progress = null)
    {
        int steps = options.Steps ?? 50_000;
        var config = Presets.LotteryTicketLeNet300 with { Steps = steps, EvaluateEvery = steps / 10 };
        var method = new MagnitudePruning(SparsityDistribution.Uniform(0.9), PruningSchedule.Gradual(steps / 10, steps / 2, steps / 100));
        var model = Zoo.LeNet300_100(1, device: data.Device);
        var run = Trainer.Train(model, data, config, method, progress, checkpoint: store.CheckpointPath("checkpoint-check/run"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (_, p) in model.named_parameters())
            using (var cpu = p.detach().cpu().contiguous()) hash.AppendData(cpu.bytes);
        // Runs under 10,000 steps write no checkpoint (TrainConfig.CheckpointInterval), nor its folder.
        if (File.Exists(store.CheckpointPath("checkpoint-check/run"))) File.Delete(store.CheckpointPath("checkpoint-check/run"));
        return $"{steps} steps, checkpoint every {config.CheckpointInterval}: test accuracy {run.TestAccuracy:P2}, " +
               $"weights sha256 {Convert.ToHexStringLower(hash.GetHashAndReset())}";
    }
}
