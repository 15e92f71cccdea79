using SparsityKit.Data;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>
/// Every method at every target sparsity and seed, trained with the same config, measured the same way, and kept in
/// a <see cref="RunStore"/>: re-running a sweep (after a crash, or with more seeds) trains only what is missing.
/// Each run is keyed by the hash of everything that can change its result (<see cref="RunKey"/>), so a changed
/// setting trains anew instead of reusing a stale record. Results are records; plot them at their achieved
/// <see cref="RunRecord.Sparsity"/>, not the target.
/// </summary>
public static class Sweep
{
    /// <summary>
    /// Runs the sweep, or the part of it that is not in the store yet. Several processes (on one machine or on several
    /// sharing a folder) may run the same sweep on one store at once: each takes a lease on a run before computing it,
    /// so they split the work, and each returns every record once the others' runs are finished (polling the store
    /// every <paramref name="poll"/>, 5 s by default). A run whose owner died is taken over.
    /// </summary>
    /// <param name="onTrainingStart">Called as a training begins (method, target or NaN for a shared training, seed).</param>
    /// <exception cref="ArgumentException">Duplicate or near-duplicate sparsities, duplicate seeds or method names.</exception>
    public static IReadOnlyList<RunRecord> Run(string name, IReadOnlyList<SweepMethod> methods, IReadOnlyList<double> sparsities,
        IReadOnlyList<long> seeds, ModelFactory model, IDataSource data, TrainConfig config, RunStore store,
        IProgress<TrainingProgress>? progress = null, Action<RunRecord>? onRecord = null, TimeSpan? poll = null,
        Action<SweepMethod, double, long>? onTrainingStart = null)
    {
        config.Validate();
        RejectDuplicates(methods, sparsities, seeds);
        var runs = Plan(name, methods, sparsities, seeds, model, data, config);
        var found = new Dictionary<string, RunRecord>();
        var threads = new ThreadCountCheck(store);
        while (true)
        {
            foreach (var run in runs.Where(r => !found.ContainsKey(r.Path)))
            {
                if (store.TryLoad(run.Path, out var record) || TryCompute(run, out record))
                {
                    found[run.Path] = record;
                    if (run.GroupPath is not null) store.RemoveStaleClaim(run.GroupPath);   // its members' loads never look at it
                    threads.Check(record, run.Path);
                    onRecord?.Invoke(record);
                }
                // otherwise another process holds it: come back later
            }
            if (found.Count == runs.Count) return runs.Select(r => found[r.Path]).ToList();
            Thread.Sleep(poll ?? TimeSpan.FromSeconds(5));
        }

        // A method measured at every target writes all its records in one group file first, then one file per record.
        bool TryLoad(PlannedRun run, out RunRecord record)
        {
            if (store.TryLoad(run.Path, out record)) return true;
            record = (run.GroupPath is null ? null : store.TryLoadGroup(run.GroupPath)?.FirstOrDefault(r => r.Config == run.Key.Description))!;
            return record is not null;
        }

        bool TryCompute(PlannedRun run, out RunRecord record)
        {
            record = null!;
            using var claim = store.TryClaim(run.GroupPath ?? run.Path);
            if (claim is null) return false;
            // A group's claim covers its members' record files: remove what a writer killed while saving one left.
            foreach (var member in runs.Where(r => r.GroupPath is not null && r.GroupPath == run.GroupPath)) store.RemoveTemporaries(member.Path);
            if (TryLoad(run, out record))   // it may have finished just before our claim
            {
                // The owner of a group writes the record files its predecessor did not get to.
                foreach (var member in runs.Where(r => r.GroupPath is not null && r.GroupPath == run.GroupPath))
                    if (!store.TryLoad(member.Path, out _) && TryLoad(member, out var saved)) store.Save(member.Path, saved);
                return true;
            }
            if (run.GroupPath is null)
            {
                var result = Train(run.Method, run.Sparsity, run.Seed, run.Path);
                record = Records.From(result, name, run.Method.Name, run.Seed, data.ImageShape, targetSparsity: run.Sparsity, config: run.Key.Description);
                store.Save(run.Path, record);
                return true;
            }
            var members = runs.Where(r => r.GroupPath == run.GroupPath).ToList();
            var records = TrainOnceMeasureAll(run.Method, run.Seed, members, run.GroupPath);
            store.SaveGroup(run.GroupPath, records);
            File.Delete(store.CheckpointPath(run.GroupPath));
            foreach (var (member, each) in members.Zip(records)) store.Save(member.Path, each);
            record = records[members.IndexOf(run)];
            return true;
        }

        TrainingRun Train(SweepMethod method, double sparsity, long seed, string path)
        {
            onTrainingStart?.Invoke(method, sparsity, seed);
            return Trainer.Train((method.Model ?? model)(seed), data, config with { DataSeed = seed }, method.Create(sparsity, seed), progress,
                double.IsNaN(sparsity) ? $"{method.Name} seed {seed}" : $"{method.Name} {sparsity:P0} seed {seed}", store.CheckpointPath(path));
        }

        List<RunRecord> TrainOnceMeasureAll(SweepMethod method, long seed, IReadOnlyList<PlannedRun> targets, string path)
        {
            var (trained, training) = TrainedOnce(method, seed, path);
            using var disposeModel = trained;
            // Measured on the convolution backend the training ran on (oneDNN where it computes this model right), not the
            // process-wide choice code outside a training session gets: on libtorch's own kernels ResNet-20's 10,000 test
            // images took over ten minutes a target, where training's own evaluations take seconds.
            using var backend = ConvolutionBackend.ForModel(trained, data);
            var records = new List<RunRecord>();
            foreach (var target in targets)
            {
                using var masks = method.AtSparsity!(trained, target.Sparsity);
                if (method.RecomputeBatchNormBatches > 0)
                {
                    // The same batches for every target, so a target's measurement does not depend on the others.
                    using var batches = data.TrainingBatches(config.BatchSize, seed);
                    BatchNormStatistics.Recompute(trained, batches, method.RecomputeBatchNormBatches);
                }
                var test = data is Dataset tensors
                    ? Evaluation.Measure(trained, tensors.TestImages, tensors.TestLabels, config.EvaluationBatchSize)
                    : Evaluation.Measure(trained, data.TestBatches(config.EvaluationBatchSize));
                records.Add(Records.WithSparsityOf(training, trained, data.ImageShape, masks) with
                {
                    TargetSparsity = target.Sparsity, Config = target.Key.Description,
                    TestAccuracy = test.Accuracy, TestLoss = test.Loss, TestTop5Accuracy = test.Top5Accuracy,
                });
            }
            return records;
        }

        // The trained model and the record of its training: trained now, or the model the store kept when this training
        // was measured before (another measurement setting: its runs have other keys, its training the same).
        (nn.Module<Tensor, Tensor> Model, RunRecord Training) TrainedOnce(SweepMethod method, long seed, string path)
        {
            if (store.TryLoadGroup(path)?.FirstOrDefault() is { } earlier)
            {
                var kept = (method.Model ?? model)(seed);
                if (config.ChannelsLast) ChannelsLast.Apply(kept, config.ChannelsLastLeavesAmbiguousKernels);   // as training laid it out, so measuring computes the same
                if (store.TryLoadTrainedModel(path, kept)) return (kept, earlier);
                kept.Dispose();
            }
            var result = Train(method, double.NaN, seed, path);
            store.SaveTrainedModel(path, result.Model);   // before measuring, which may recompute its batch norms' statistics
            return (result.Model, Records.From(result, name, method.Name, seed, data.ImageShape));
        }

    }

    /// <summary>
    /// The store names of every run <see cref="Run"/> keeps for these settings, in its order: what a progress count looks
    /// for, so that records of other settings (a stale run of the same method, sparsity and seed) never count.
    /// </summary>
    public static IReadOnlyList<string> RunNames(string name, IReadOnlyList<SweepMethod> methods, IReadOnlyList<double> sparsities,
        IReadOnlyList<long> seeds, ModelFactory model, IDataSource data, TrainConfig config)
    {
        RejectDuplicates(methods, sparsities, seeds);
        return Plan(name, methods, sparsities, seeds, model, data, config).Select(r => r.Path).ToList();
    }

    /// <param name="Path">The record's name in the store: readable folders, then the key's hash.</param>
    /// <param name="GroupPath">For a method trained once and measured at every target: the name of that one training.</param>
    private sealed record PlannedRun(string Path, RunKey Key, SweepMethod Method, double Sparsity, long Seed, string? GroupPath);

    // Every run's key, from the model each seed builds, the data, the config, and the method as created for the run.
    private static List<PlannedRun> Plan(string name, IReadOnlyList<SweepMethod> methods, IReadOnlyList<double> sparsities,
        IReadOnlyList<long> seeds, ModelFactory model, IDataSource data, TrainConfig config)
    {
        var runs = new List<PlannedRun>();
        foreach (var seed in seeds)
            foreach (var method in methods)
            {
                RunKey trainingKey;
                using (var initial = (method.Model ?? model)(seed))
                {
                    trainingKey = RunKey.Of(("model", initial), ("data", data), ("config", config with { DataSeed = seed }), ("seed", seed));
                    // Absent where nothing is exempt, so those keys stay valid; present where runs before the exemption decayed them.
                    if (config.ExemptsTrainingOnlyParameters(initial))
                        trainingKey = trainingKey.With(("weight decay", "not on training-only parameters"));
                }
                string folder = $"{RunKey.Slug(name)}/{RunKey.Slug(method.Name)}";
                if (method.AtSparsity is null)
                    foreach (var sparsity in sparsities)
                    {
                        var key = trainingKey.With(("method", method.Create(sparsity, seed)), ("target", sparsity));
                        runs.Add(new($"{folder}/s{sparsity:0.####}-seed{seed}-{key.Hash}", key, method, sparsity, seed, null));
                    }
                else
                {
                    var shared = trainingKey.With(("method", method.Create(double.NaN, seed)));
                    foreach (var sparsity in sparsities)
                    {
                        var key = method.RecomputeBatchNormBatches == 0   // absent when off: keys made before it stay valid
                            ? shared.With(("measured at", method.AtSparsity), ("target", sparsity))
                            : shared.With(("measured at", method.AtSparsity), ("batch norm recomputed from batches", method.RecomputeBatchNormBatches),
                                ("target", sparsity));
                        runs.Add(new($"{folder}/s{sparsity:0.####}-seed{seed}-{key.Hash}", key, method, sparsity, seed,
                            $"{folder}/seed{seed}-{shared.Hash}"));
                    }
                }
            }
        return runs;
    }

    private static void RejectDuplicates(IReadOnlyList<SweepMethod> methods, IReadOnlyList<double> sparsities, IReadOnlyList<long> seeds)
    {
        if (methods.Count == 0 || sparsities.Count == 0 || seeds.Count == 0)
            throw new ArgumentException("A sweep needs at least one method, one sparsity and one seed.");
        if (seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1) is { } seed)
            throw new ArgumentException($"The seed {seed.Key} is listed twice in the sweep's seeds: list each seed once.", nameof(seeds));
        if (methods.GroupBy(m => RunKey.Slug(m.Name)).FirstOrDefault(g => g.Count() > 1) is { } method)
            throw new ArgumentException($"The methods {string.Join(" and ", method.Select(m => $"'{m.Name}'"))} have the same name (as a folder, " +
                $"'{method.Key}'): give each method of a sweep its own name.", nameof(methods));
        foreach (var m in methods)
            if (m.RecomputeBatchNormBatches < 0 || (m.RecomputeBatchNormBatches > 0 && m.AtSparsity is null))
                throw new ArgumentException($"The method '{m.Name}' has RecomputeBatchNormBatches = {m.RecomputeBatchNormBatches}: it must be 0 (off) or, " +
                    "for a method measured at every target (one with AtSparsity), a number of training batches.", nameof(methods));
        foreach (var s in sparsities) SparsityKit.Sparsity.SparsityDistribution.Uniform(s);   // throws for a sparsity outside [0, 1]
        var sorted = sparsities.Order().ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i] - sorted[i - 1] < 1e-4)
                throw new ArgumentException($"The sparsities {sorted[i - 1]} and {sorted[i]} are the same target to four decimals: " +
                    "list each target once.", nameof(sparsities));
    }

    // Results are bit-identical only at the same thread count: say so when a sweep mixes records made with others.
    private sealed class ThreadCountCheck(RunStore store)
    {
        private bool _warned;

        public void Check(RunRecord record, string path)
        {
            int threads = torch.get_num_threads();
            if (_warned || record.Threads == 0 || record.Threads == threads) return;
            _warned = true;
            store.Warn($"{path} was trained with {record.Threads} libtorch threads and this process uses {threads}: the sweep mixes thread " +
                "counts, so its results are not bit-identical to a run at one count (set OMP_NUM_THREADS, or torch.set_num_threads, alike).");
        }
    }
}
