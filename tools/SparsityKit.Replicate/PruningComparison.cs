using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;

/// <summary>
/// Issue 3's check: LeNet-300-100 on MNIST, dense versus one-shot magnitude pruning + fine-tuning versus gradual
/// magnitude pruning (Zhu and Gupta), all with the same training budget, at 90%, 95% and 98% uniform sparsity.
/// </summary>
static class PruningComparison
{
    public static string Run(Dataset data, RunStore store, ReplicationOptions options)
    {
        int steps = options.Steps ?? 20_000;
        var config = new TrainConfig { Steps = steps, BatchSize = 60, Optimizer = new Adam(1.2e-3), Schedule = new CosineDecay(), EvaluateEvery = steps / 10 };
        if (options.Schedule < 0 || options.Schedule >= ScheduleSearch.Candidates.Length)
            throw new ArgumentException($"--schedule {options.Schedule}: there are {ScheduleSearch.Candidates.Length} candidate schedules, 0 to {ScheduleSearch.Candidates.Length - 1}.");
        var gradualShape = ScheduleSearch.Candidates[options.Schedule];
        PruningSchedule Gradual() => ScheduleSearch.Of(gradualShape, steps);
        string g = options.Schedule == 0 ? "gradual" : $"gradual{options.Schedule}";   // keys of the first schedule as before
        var records = new List<RunRecord>();
        foreach (var seed in options.Seeds)
        {
            records.Add(Once(store, $"dense/seed{seed}", () => Train(data, config, seed, null, "dense", null)));
            foreach (var sparsity in new[] { 0.9, 0.95, 0.98 })
            {
                // One-shot: prune at half time, then fine-tune for the rest; gradual: Zhu and Gupta's schedule (--schedule).
                var oneShot = new MagnitudePruning(SparsityDistribution.Uniform(sparsity), PruningSchedule.OneShot(steps / 2));
                var gradual = new MagnitudePruning(SparsityDistribution.Uniform(sparsity), Gradual());
                var gradualOutputDense = new MagnitudePruning(SparsityDistribution.Uniform(sparsity), Gradual(), Prunable.Default.Except("fc3.weight"));
                records.Add(Once(store, $"one-shot-{sparsity}/seed{seed}", () => Train(data, config, seed, oneShot, "one-shot + fine-tune", sparsity)));
                records.Add(Once(store, $"{g}-{sparsity}/seed{seed}", () => Train(data, config, seed, gradual, "gradual", sparsity)));
                records.Add(Once(store, $"{g}-output-dense-{sparsity}/seed{seed}",
                    () => Train(data, config, seed, gradualOutputDense, "gradual, output dense", sparsity)));
            }
        }
        return $"LeNet-300-100 / MNIST, {steps} steps, Adam 1.2e-3 cosine, batch 60; gradual from {gradualShape.Begin:P0} to " +
            $"{gradualShape.End:P0} of training, every {gradualShape.Every:P1}\n" +
            RecordSummary.Table(records, r => r.TestAccuracy, "final test accuracy") +
            string.Join("\n", records.Where(r => r.Kind.Contains("output dense")).Take(3).Select(r => $"{r.Kind} {r.TargetSparsity}: overall sparsity {r.Sparsity:P2}"));
    }

    private static RunRecord Once(RunStore store, string key, Func<RunRecord> compute)
    {
        key = $"pruning-comparison/{key}";
        if (store.TryLoad(key, out var record)) return record;
        record = compute();
        store.Save(key, record);
        Console.WriteLine($"{record.Kind} {record.TargetSparsity} seed {record.Seed}: {record.TestAccuracy:P2} in {record.WallSeconds:F0} s");
        return record;
    }

    private static RunRecord Train(Dataset data, TrainConfig config, long seed, TrainingMethod? method, string kind, double? sparsity)
    {
        var run = Trainer.Train(Zoo.LeNet300_100(seed, device: data.Device), data, config with { DataSeed = seed }, method, name: kind);
        return Records.From(run, "pruning-comparison", kind, seed, data.ImageShape, targetSparsity: sparsity);
    }
}
