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
    public static IReadOnlyList<RunRecord> Run(string name, IReadOnlyList<SweepMethod> methods, IReadOnlyList<double> sparsities,
        IReadOnlyList<long> seeds, ModelFactory model, Dataset data, TrainConfig config, RunStore store,
        IProgress<TrainingProgress>? progress = null, Action<RunRecord>? onRecord = null)
    {
        config.Validate();
        string settings = $"{name} | {data.Name} | {config.Steps} steps, batch {config.BatchSize}, {config.Optimizer}, {config.Schedule}";
        string prefix = $"{name}-{RunStore.KeyOf(settings)}";
        var records = new List<RunRecord>();
        foreach (var seed in seeds)
            foreach (var method in methods)
                foreach (var sparsity in sparsities)
                {
                    string key = $"{prefix}/{Slug(method.Name)}/s{sparsity:0.####}-seed{seed}";
                    if (!store.TryLoad(key, out var record))
                    {
                        var network = (method.Model ?? model)(seed);
                        var run = Trainer.Train(network, data, config with { DataSeed = seed }, method.Create(sparsity, seed), progress,
                            $"{method.Name} {sparsity:P0} seed {seed}");
                        record = Records.From(run, name, method.Name, seed, data.ImageShape, targetSparsity: sparsity, config: settings);
                        store.Save(key, record);
                    }
                    records.Add(record);
                    onRecord?.Invoke(record);
                }
        return records;
    }

    private static string Slug(string text) => new(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
