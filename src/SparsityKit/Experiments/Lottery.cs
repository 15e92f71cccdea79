using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>
/// Lottery-ticket experiments: train dense, prune a fraction of the remaining weights, rewind the survivors to
/// their values at step k, retrain, repeat; beside each ticket, the controls on the same mask. With a
/// <see cref="RunStore"/>, every finished run is kept, so an interrupted experiment resumes where it stopped.
/// </summary>
public static class Lottery
{
    // Offsets that give controls seeds of their own, distinct from every model seed in use.
    private const long ReinitSeedOffset = 1_000_003, RandomMaskSeedOffset = 2_000_003, ScratchSeedOffset = 3_000_017;

    /// <param name="name">Names the experiment in records and in the store; runs are keyed by it and by all settings.</param>
    /// <param name="poll">How often to look again for a seed another process is computing (5 s by default).</param>
    /// <param name="onTrainingStart">Called with a run's name in the store as this process starts training it (a log of who trained what).</param>
    /// <param name="onTrained">Called with a run's name once this process has trained it and saved its record.</param>
    public static LotteryResult Run(string name, ModelFactory model, Dataset data, TrainConfig config, LotteryConfig lottery,
        RunStore? store = null, IProgress<TrainingProgress>? progress = null, TimeSpan? poll = null,
        Action<string>? onTrainingStart = null, Action<string>? onTrained = null)
    {
        lottery.Validate();
        config.Validate();
        if (lottery.RewindStep > config.Steps)
            throw new ArgumentException($"Cannot rewind to step {lottery.RewindStep} of a {config.Steps}-step training.", nameof(lottery));
        if (lottery.Seeds.Distinct().Count() != lottery.Seeds.Count)
            throw new ArgumentException($"A seed is listed twice in the lottery's seeds [{string.Join(", ", lottery.Seeds)}]: list each seed once.", nameof(lottery));
        var experiment = new LotteryExperiment(name, model, data, config, lottery,
            store ?? new RunStore(Path.Combine(Path.GetTempPath(), "sparsitykit-runs", Guid.NewGuid().ToString("N"))), progress)
        {
            OnTrainingStart = onTrainingStart,
            OnTrained = onTrained,
        };
        // A seed's rounds form a chain (each round's mask comes from the one before), so a process leases a whole seed;
        // others take the other seeds, and everyone comes back for the seeds still in progress elsewhere.
        var pending = lottery.Seeds.ToList();
        while (true)
        {
            pending.RemoveAll(experiment.TryRunSeed);
            if (pending.Count == 0) break;
            Thread.Sleep(poll ?? TimeSpan.FromSeconds(5));
        }
        var done = lottery.Seeds.SelectMany(seed => experiment.Done[seed]).ToList();
        return new LotteryResult(done, experiment.Computed, experiment.Loaded);
    }

    /// <summary>
    /// The store names of every run <see cref="Run"/> keeps for these settings, seed by seed in its order (dense, then per
    /// round the ticket and its controls): what a progress count looks for, so that records of other settings never count.
    /// </summary>
    public static IReadOnlyList<string> RunNames(string name, ModelFactory model, Dataset data, TrainConfig config, LotteryConfig lottery)
    {
        var names = new List<string>();
        foreach (var seed in lottery.Seeds)
        {
            string prefix = SeedPrefix(name, KeyOf(model, data, config, lottery, seed), seed);
            names.Add($"{prefix}/r00-dense");
            for (int r = 1; r <= lottery.Rounds; r++)
            {
                names.Add($"{prefix}/r{r:D2}-ticket");
                if (lottery.Controls.HasFlag(LotteryControls.RandomReinit)) names.Add($"{prefix}/r{r:D2}-reinit");
                if (lottery.Controls.HasFlag(LotteryControls.RandomMask)) names.Add($"{prefix}/r{r:D2}-random-mask");
                if (lottery.Controls.HasFlag(LotteryControls.ScratchB)) names.Add($"{prefix}/r{r:D2}-scratch-b");
            }
        }
        return names;
    }

    // Frankle and Carbin's trials differ in batch order as well as initialisation; by default the order stays the config's.
    private static TrainConfig ConfigFor(TrainConfig config, LotteryConfig lottery, long seed) =>
        lottery.SeedSetsBatchOrder ? config with { DataSeed = seed } : config;

    // Everything that changes a seed's runs; more rounds, seeds or controls later reuse every finished run.
    private static RunKey KeyOf(ModelFactory model, Dataset data, TrainConfig config, LotteryConfig lottery, long seed)
    {
        using var initial = model(seed);
        var key = RunKey.Of(("experiment", "lottery"), ("model", initial), ("data", data), ("config", ConfigFor(config, lottery, seed)),
            ("pruning", lottery with { Rounds = 0, Seeds = [], Controls = LotteryControls.None }), ("seed", seed));
        return lottery.Pattern is null ? key : key.With(("pattern", lottery.Pattern.ToString()));
    }

    private static string SeedPrefix(string name, RunKey key, long seed) => $"{RunKey.Slug(name)}/seed{seed}-{key.Hash}";

    /// <summary>
    /// Builds the model for a round: fresh from <paramref name="seed"/>, its weights replaced by the rewind
    /// snapshot (all of them; pruned ones are then zeroed by the mask), and the mask applied.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Rewound(ModelFactory model, long seed, WeightSnapshot rewind, MaskSet masks)
    {
        var network = model(seed);
        rewind.RestoreInto(network);
        masks.ApplyTo(network);
        return network;
    }

    private sealed class LotteryExperiment(string name, ModelFactory model, Dataset data, TrainConfig config,
        LotteryConfig lottery, RunStore store, IProgress<TrainingProgress>? progress)
    {
        public Dictionary<long, List<RunRecord>> Done { get; } = [];
        public int Computed { get; private set; }
        public int Loaded { get; private set; }
        public Action<string>? OnTrainingStart { get; init; }
        public Action<string>? OnTrained { get; init; }

        private TrainConfig ConfigFor(long seed) => Lottery.ConfigFor(config, lottery, seed);

        private RunKey KeyOf(long seed) => Lottery.KeyOf(model, data, config, lottery, seed);

        /// <summary>Runs (or loads) every run of one seed; false if another process holds the seed.</summary>
        public bool TryRunSeed(long seed)
        {
            var key = KeyOf(seed);
            string prefix = SeedPrefix(name, key, seed);
            var records = new List<RunRecord>();
            // First without a claim: a seed another process finished loads at once.
            if (!Pass(() => Rounds(seed, prefix, key, records, mayCompute: false)))
            {
                using var claim = store.TryClaim($"{prefix}/seed", folder: prefix);
                if (claim is null) return false;
                records.Clear();
                Pass(() => Rounds(seed, prefix, key, records, mayCompute: true));
            }
            Done[seed] = records;
            return true;
        }

        // Runs a pass over a seed's runs; the counts of loaded and computed runs stand only if it got through.
        private bool Pass(Func<bool> pass)
        {
            var (loaded, computed) = (Loaded, Computed);
            if (pass()) return true;
            (Loaded, Computed) = (loaded, computed);
            return false;
        }

        // Walks the seed's runs in order, loading each finished one; computes the missing ones if allowed, else stops (false).
        private bool Rounds(long seed, string prefix, RunKey key, List<RunRecord> records, bool mayCompute)
        {
            string rewindName = $"{prefix}/rewind";
            var trial = ConfigFor(seed);
            string description = key.Description;
            RunRecord Dense()
            {
                var network = model(seed);
                var run = Train(network, null, trial with { SnapshotSteps = [.. trial.SnapshotSteps, lottery.RewindStep] }, "dense", $"{prefix}/r00-dense");
                run.Snapshots[lottery.RewindStep].Save(store.WeightsPath(rewindName));
                using var next = NextMasks(network, null, seed, round: 1);
                store.SaveMasks($"{prefix}/r01", next);
                return Records.From(run, name, "dense", seed, data.ImageShape, config: description + "\nrun: dense");
            }
            if (!Record($"{prefix}/r00-dense", Dense, records, mayCompute)) return false;
            if (lottery.Rounds == 0) return true;

            // The files the next runs start from; if one is missing or damaged, the run that wrote it is computed again.
            if (!Readable(() => WeightSnapshot.Load(store.WeightsPath(rewindName)).Dispose(), $"{prefix}/r00-dense", store.WeightsPath(rewindName)))
            {
                if (!mayCompute) return false;
                records.RemoveAt(records.Count - 1);
                Record($"{prefix}/r00-dense", Dense, records, mayCompute, recompute: true);
            }
            using var rewind = WeightSnapshot.Load(store.WeightsPath(rewindName));
            for (int round = 1; round <= lottery.Rounds; round++)
            {
                int r = round;
                string masksName = $"{prefix}/r{r:D2}";
                string producer = r == 1 ? $"{prefix}/r00-dense" : $"{prefix}/r{r - 1:D2}-ticket";
                if (!Readable(() => store.LoadMasks(masksName).Dispose(), producer, store.MasksPath(masksName)))
                {
                    if (!mayCompute) return false;
                    if (r == 1) Record(producer, Dense, [], mayCompute, recompute: true);
                    else Record(producer, () => Ticket(r - 1, store.LoadMasks($"{prefix}/r{r - 1:D2}", data.Device)), [], mayCompute, recompute: true);
                }
                using var masks = store.LoadMasks(masksName, data.Device);
                RunRecord Ticket(int at, MaskSet with)
                {
                    using (with)
                    {
                        var network = Rewound(model, seed, rewind, with);
                        var run = Train(network, with, trial, $"ticket r{at}", $"{prefix}/r{at:D2}-ticket");
                        using var next = NextMasks(network, with, seed, at + 1);
                        store.SaveMasks($"{prefix}/r{at + 1:D2}", next);
                        return Records.From(run, name, "ticket", seed, data.ImageShape, with, at, config: $"{description}\nrun: ticket, round {at}");
                    }
                }
                if (!Record($"{prefix}/r{r:D2}-ticket", () => Ticket(r, masks.Clone()), records, mayCompute)) return false;
                if (lottery.Controls.HasFlag(LotteryControls.RandomReinit) && !Record($"{prefix}/r{r:D2}-reinit", () =>
                    {
                        var run = Train(model(seed + ReinitSeedOffset * r), masks, trial, $"reinit r{r}", $"{prefix}/r{r:D2}-reinit");
                        return Records.From(run, name, "reinit", seed, data.ImageShape, masks, r, config: $"{description}\nrun: reinit, round {r}");
                    }, records, mayCompute)) return false;
                if (lottery.Controls.HasFlag(LotteryControls.RandomMask) && !Record($"{prefix}/r{r:D2}-random-mask", () =>
                    {
                        var network = model(seed);
                        using var random = SameLayerSparsityAtRandom(network, masks, seed + RandomMaskSeedOffset * r);
                        rewind.RestoreInto(network);
                        random.ApplyTo(network);
                        var run = Train(network, random, trial, $"random mask r{r}", $"{prefix}/r{r:D2}-random-mask");
                        return Records.From(run, name, "random-mask", seed, data.ImageShape, random, r, config: $"{description}\nrun: random mask, round {r}");
                    }, records, mayCompute)) return false;
                if (lottery.Controls.HasFlag(LotteryControls.ScratchB) && !Record($"{prefix}/r{r:D2}-scratch-b", () =>
                        Scratch.Train(masks, model, data, trial, ScratchBudget.SameFlops, seed + ScratchSeedOffset * r, experiment: name,
                            progress: progress, checkpoint: store.CheckpointPath($"{prefix}/r{r:D2}-scratch-b")).Record with { Seed = seed, Round = r, Config = $"{description}\nrun: scratch-b, round {r}" },
                    records, mayCompute)) return false;
            }
            return true;
        }

        // Whether a file a later run needs loads; if not, says which run is computed again to write it.
        private bool Readable(Action load, string producer, string path)
        {
            try
            {
                load();
                return true;
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                store.Warn($"{path} is missing or damaged ({e.Message.Split('\n')[0]}); the run {producer} that writes it is computed again.");
                return false;
            }
        }

        private bool Record(string key, Func<RunRecord> compute, List<RunRecord> records, bool mayCompute, bool recompute = false)
        {
            if (!recompute && store.TryLoad(key, out var record)) Loaded++;
            else if (!mayCompute) return false;
            else
            {
                OnTrainingStart?.Invoke(key);
                record = compute();
                store.Save(key, record);
                Computed++;
                OnTrained?.Invoke(key);
            }
            records.Add(record);
            return true;
        }

        private TrainingRun Train(nn.Module<Tensor, Tensor> network, MaskSet? masks, TrainConfig trainConfig, string runName, string key) =>
            Trainer.Train(network, data, trainConfig, masks is null ? null : new FixedMask(masks, name: runName), progress, runName, store.CheckpointPath(key));

        // Prunes a fraction of the weights that remain (the output layer at its own rate) from the trained weights.
        private MaskSet NextMasks(nn.Module<Tensor, Tensor> trained, MaskSet? current, long seed, int round)
        {
            var outputLayer = Prunable.Default.Select(trained)[^1].Name;
            var criterion = lottery.RandomCriterion ? PruningCriterion.Random(seed * 7919 + round) : PruningCriterion.Magnitude;
            if (lottery.Pattern is { } pattern) return TowardPattern(trained, current, criterion, pattern, outputLayer);
            return Prune.ByAmount(trained, lottery.Rate, criterion, current, lottery.Global,
                amountForLayer: lottery.Global || lottery.OutputLayerRate is null ? null
                    : layer => layer == outputLayer ? lottery.OutputLayerRate.Value : null);
        }

        // Each layer prunes its rate of the weights that remain, those outside the N:M pattern first and never past the
        // pattern. The pattern is chosen among the weights still alive, so every group keeps N of them and the rounds end on it.
        private MaskSet TowardPattern(nn.Module<Tensor, Tensor> trained, MaskSet? current, PruningCriterion criterion, NMSparsity pattern, string outputLayer)
        {
            var layers = Prune.Layers(trained, current, null);
            using var scope = NewDisposeScope();
            var scores = criterion.Score(layers.Select(l => l.Weight).ToList())
                .Select((s, i) => current is null ? s : s.masked_fill(current[layers[i].Name].to(s.device).eq(Scalars.Zero), Scalars.NegativeInfinity)).ToList();
            var counts = layers.ToDictionary(l => l.Name, l =>
            {
                long total = l.Weight.numel(), kept = current?.Layers.First(m => m.Name == l.Name).Kept ?? total;
                Amount rate = l.Name == outputLayer && lottery.OutputLayerRate is { } outputRate ? outputRate : lottery.Rate;
                return Math.Max(total - kept, Math.Min(total - kept + rate.Of(kept), pattern.PrunedCount(l.Weight.shape)));
            });
            return MaskComputer.Compute(layers, current, pattern.Criterion(new ScoreCriterion(criterion.Name, scores)), PruneTargets.Layerwise(counts));
        }

        private static MaskSet SameLayerSparsityAtRandom(nn.Module<Tensor, Tensor> network, MaskSet masks, long seed) =>
            Prune.Random(network, SparsityDistribution.PerLayer(masks.Layers.ToDictionary(l => l.Name, l => l.Sparsity)), seed);
    }
}
