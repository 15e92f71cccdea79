using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;

namespace SparsityKit.Train.Replication;

/// <summary>
/// Issue 3's check: LeNet-300-100 on MNIST, dense versus one-shot magnitude pruning + fine-tuning versus gradual
/// magnitude pruning (Zhu and Gupta), all with the same training budget, at 90%, 95% and 98% uniform sparsity.
/// </summary>
internal static class PruningComparison
{
    public static string Run(Dataset data, RunStore store, ReplicationOptions options, IProgress<TrainingProgress>? progress = null)
    {
        int steps = options.Steps ?? 20_000;
        var config = new TrainConfig { Steps = steps, BatchSize = 60, Optimizer = new Adam(1.2e-3), Schedule = new CosineDecay(), EvaluateEvery = steps / 10 };
        if (options.Schedule < 0 || options.Schedule >= ScheduleSearch.Candidates.Length)
            throw new ArgumentException($"--schedule {options.Schedule}: there are {ScheduleSearch.Candidates.Length} candidate schedules, 0 to {ScheduleSearch.Candidates.Length - 1}.");
        var gradualShape = ScheduleSearch.Candidates[options.Schedule];
        PruningSchedule Gradual() => ScheduleSearch.Of(gradualShape, steps);
        var records = new List<RunRecord>();
        foreach (var seed in options.Seeds)
        {
            records.Add(Once(store, data, config, progress, seed, null, "dense", null));
            foreach (var sparsity in new[] { 0.9, 0.95, 0.98 })
            {
                // One-shot: prune at half time, then fine-tune for the rest; gradual: Zhu and Gupta's schedule (--schedule).
                var oneShot = new MagnitudePruning(SparsityDistribution.Uniform(sparsity), PruningSchedule.OneShot(steps / 2));
                var gradual = new MagnitudePruning(SparsityDistribution.Uniform(sparsity), Gradual());
                var gradualOutputDense = new MagnitudePruning(SparsityDistribution.Uniform(sparsity), Gradual(), Prunable.Default.Except("fc3.weight"));
                records.Add(Once(store, data, config, progress, seed, oneShot, "one-shot + fine-tune", sparsity));
                records.Add(Once(store, data, config, progress, seed, gradual, "gradual", sparsity));
                records.Add(Once(store, data, config, progress, seed, gradualOutputDense, "gradual, output dense", sparsity));
            }
        }
        return $"LeNet-300-100 / MNIST, {steps} steps, Adam 1.2e-3 cosine, batch 60; gradual from {gradualShape.Begin:P0} to " +
            $"{gradualShape.End:P0} of training, every {gradualShape.Every:P1}\n" +
            RecordSummary.Table(records, r => r.TestAccuracy, "final test accuracy") +
            string.Join("\n", records.Where(r => r.Kind.Contains("output dense")).Take(3).Select(r => $"{r.Kind} {r.TargetSparsity}: overall sparsity {r.Sparsity:P2}"));
    }

    // Keyed by everything that changes the run (model, data, config, the method with its schedule), so another schedule trains anew.
    private static RunRecord Once(RunStore store, Dataset data, TrainConfig config, IProgress<TrainingProgress>? progress, long seed, TrainingMethod? method, string kind, double? sparsity)
    {
        config = config with { DataSeed = seed };
        RunKey key;
        using (var initial = Zoo.LeNet300_100(seed, device: data.Device))
            key = RunKey.Of(("model", initial), ("data", data), ("config", config), ("method", method), ("target", sparsity));
        string name = $"pruning-comparison/{RunKey.Slug(kind)}-{sparsity}/seed{seed}-{key.Hash}";
        if (store.TryLoad(name, out var record)) return record;
        var run = Trainer.Train(Zoo.LeNet300_100(seed, device: data.Device), data, config, method, progress, name: kind);
        record = Records.From(run, "pruning-comparison", kind, seed, data.ImageShape, targetSparsity: sparsity, config: key.Description);
        store.Save(name, record);
        Console.WriteLine($"{record.Kind} {record.TargetSparsity} seed {record.Seed}: {record.TestAccuracy:P2} in {record.WallSeconds:F0} s");
        return record;
    }
}
