using SparsityKit.Data;
using SparsityKit.Training;

namespace SparsityKit.Experiments;

/// <summary>
/// Every method at every target sparsity and seed, trained with the same config, measured the same way, and kept in
/// a <see cref="RunStore"/>: re-running a sweep (after a crash, or with more seeds) trains only what is missing.
/// Results are records; plot them at their achieved <see cref="RunRecord.Sparsity"/>, not the target.
/// </summary>
public static class Sweep
{
    /// <summary>
    /// Runs the sweep, or the part of it that is not in the store yet. Several processes may run the same sweep on
    /// one store at once: each claims a run before computing it, so they split the work, and each returns every
    /// record once the others' runs are finished (polling the store every <paramref name="poll"/>, 5 s by default).
    /// </summary>
    public static IReadOnlyList<RunRecord> Run(string name, IReadOnlyList<SweepMethod> methods, IReadOnlyList<double> sparsities,
        IReadOnlyList<long> seeds, ModelFactory model, Dataset data, TrainConfig config, RunStore store,
        IProgress<TrainingProgress>? progress = null, Action<RunRecord>? onRecord = null, TimeSpan? poll = null)
    {
        config.Validate();
        string settings = $"{name} | {data.Name} | {config.Steps} steps, batch {config.BatchSize}, {config.Optimizer}, {config.Schedule}";
        string prefix = $"{name}-{RunStore.KeyOf(settings)}";
        var runs = (from seed in seeds
                    from method in methods
                    from sparsity in sparsities
                    select (Key: $"{prefix}/{Slug(method.Name)}/s{sparsity:0.####}-seed{seed}", Method: method, Sparsity: sparsity, Seed: seed))
                   .ToList();
        var found = new Dictionary<string, RunRecord>();
        while (true)
        {
            foreach (var run in runs.Where(r => !found.ContainsKey(r.Key)))
            {
                if (!store.TryLoad(run.Key, out var record))
                {
                    // A method measured at every target from one training claims that training, not a single run.
                    bool shared = run.Method.AtSparsity is not null;
                    using var claim = store.TryClaim(shared ? $"{prefix}/{Slug(run.Method.Name)}/seed{run.Seed}" : run.Key);
                    if (claim is null) continue;   // another process is computing it: come back later
                    if (!store.TryLoad(run.Key, out record))   // it may have finished just before our claim
                    {
                        if (shared)
                        {
                            var targets = runs.Where(r => r.Method == run.Method && r.Seed == run.Seed).ToList();
                            foreach (var (key, each) in targets.Zip(TrainOnceMeasureAll(run.Method, run.Seed, targets.Select(r => r.Sparsity).ToList())))
                                store.Save(key.Key, each);
                            store.TryLoad(run.Key, out record);
                        }
                        else
                        {
                            var result = Train(run.Method, run.Sparsity, run.Seed);
                            record = Records.From(result, name, run.Method.Name, run.Seed, data.ImageShape, targetSparsity: run.Sparsity, config: settings);
                            store.Save(run.Key, record);
                        }
                    }
                }
                found[run.Key] = record;
                onRecord?.Invoke(record);
            }
            if (found.Count == runs.Count) return runs.Select(r => found[r.Key]).ToList();
            Thread.Sleep(poll ?? TimeSpan.FromSeconds(5));
        }

        TrainingRun Train(SweepMethod method, double sparsity, long seed) =>
            Trainer.Train((method.Model ?? model)(seed), data, config with { DataSeed = seed }, method.Create(sparsity, seed), progress,
                double.IsNaN(sparsity) ? $"{method.Name} seed {seed}" : $"{method.Name} {sparsity:P0} seed {seed}");

        IEnumerable<RunRecord> TrainOnceMeasureAll(SweepMethod method, long seed, IReadOnlyList<double> targets)
        {
            var result = Train(method, double.NaN, seed);
            foreach (var sparsity in targets)
            {
                using var masks = method.AtSparsity!(result.Model, sparsity);
                var (loss, accuracy) = Evaluation.Evaluate(result.Model, data.TestImages, data.TestLabels, config.EvaluationBatchSize);
                yield return Records.From(result, name, method.Name, seed, data.ImageShape, masks, targetSparsity: sparsity, config: settings) with
                {
                    TestAccuracy = accuracy,
                    TestLoss = loss,
                };
            }
        }
    }

    private static string Slug(string text) => new(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
