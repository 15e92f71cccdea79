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
                    using var claim = store.TryClaim(run.Key);
                    if (claim is null) continue;   // another process is computing it: come back later
                    if (!store.TryLoad(run.Key, out record))   // it may have finished just before our claim
                    {
                        var network = (run.Method.Model ?? model)(run.Seed);
                        var result = Trainer.Train(network, data, config with { DataSeed = run.Seed }, run.Method.Create(run.Sparsity, run.Seed),
                            progress, $"{run.Method.Name} {run.Sparsity:P0} seed {run.Seed}");
                        record = Records.From(result, name, run.Method.Name, run.Seed, data.ImageShape, targetSparsity: run.Sparsity, config: settings);
                        store.Save(run.Key, record);
                    }
                }
                found[run.Key] = record;
                onRecord?.Invoke(record);
            }
            if (found.Count == runs.Count) return runs.Select(r => found[r.Key]).ToList();
            Thread.Sleep(poll ?? TimeSpan.FromSeconds(5));
        }
    }

    private static string Slug(string text) => new(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
