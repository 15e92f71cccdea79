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
    public static LotteryResult Run(string name, ModelFactory model, Dataset data, TrainConfig config, LotteryConfig lottery,
        RunStore? store = null, IProgress<TrainingProgress>? progress = null)
    {
        lottery.Validate();
        config.Validate();
        if (lottery.RewindStep > config.Steps)
            throw new ArgumentException($"Cannot rewind to step {lottery.RewindStep} of a {config.Steps}-step training.", nameof(lottery));
        // Only what changes a run's result goes into the key: more rounds, seeds or controls later reuse every finished run.
        string settings = $"{name} | {data.Name} | {config.Steps} steps, batch {config.BatchSize}, {config.Optimizer}, {config.Schedule}, " +
            $"data seed {config.DataSeed} | {lottery.PruningDescription}";
        var experiment = new LotteryExperiment(name, settings, model, data, config, lottery,
            store ?? new RunStore(Path.Combine(Path.GetTempPath(), "sparsitykit-runs", Guid.NewGuid().ToString("N"))), progress);
        foreach (var seed in lottery.Seeds) experiment.RunSeed(seed);
        return new LotteryResult(experiment.Done, experiment.Computed, experiment.Loaded);
    }

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

    private sealed class LotteryExperiment(string name, string settings, ModelFactory model, Dataset data, TrainConfig config,
        LotteryConfig lottery, RunStore store, IProgress<TrainingProgress>? progress)
    {
        private readonly string _key = RunStore.KeyOf(settings);
        public List<RunRecord> Done { get; } = [];
        public int Computed { get; private set; }
        public int Loaded { get; private set; }

        public void RunSeed(long seed)
        {
            string prefix = $"{name}-{_key}/seed{seed}";
            string rewindPath = store.WeightsPath($"{prefix}/rewind");
            Record($"{prefix}/r00-dense", () =>
            {
                var network = model(seed);
                var run = Train(network, null, config with { SnapshotSteps = [.. config.SnapshotSteps, lottery.RewindStep] }, "dense");
                run.Snapshots[lottery.RewindStep].Save(rewindPath);
                using var next = NextMasks(network, null, seed, round: 1);
                store.SaveMasks($"{prefix}/r01", next);
                return Records.From(run, name, "dense", seed, data.ImageShape, config: settings);
            });

            using var rewind = WeightSnapshot.Load(rewindPath);
            for (int round = 1; round <= lottery.Rounds; round++)
            {
                using var masks = store.LoadMasks($"{prefix}/r{round:D2}", data.Device);
                int r = round;
                Record($"{prefix}/r{round:D2}-ticket", () =>
                {
                    var network = Rewound(model, seed, rewind, masks);
                    var run = Train(network, masks, config, $"ticket r{r}");
                    using var next = NextMasks(network, masks, seed, r + 1);
                    store.SaveMasks($"{prefix}/r{r + 1:D2}", next);
                    return Records.From(run, name, "ticket", seed, data.ImageShape, masks, r, config: settings);
                });
                if (lottery.Controls.HasFlag(LotteryControls.RandomReinit))
                    Record($"{prefix}/r{round:D2}-reinit", () =>
                    {
                        var run = Train(model(seed + ReinitSeedOffset * r), masks, config, $"reinit r{r}");
                        return Records.From(run, name, "reinit", seed, data.ImageShape, masks, r, config: settings);
                    });
                if (lottery.Controls.HasFlag(LotteryControls.RandomMask))
                    Record($"{prefix}/r{round:D2}-random-mask", () =>
                    {
                        var network = model(seed);
                        using var random = SameLayerSparsityAtRandom(network, masks, seed + RandomMaskSeedOffset * r);
                        rewind.RestoreInto(network);
                        random.ApplyTo(network);
                        var run = Train(network, random, config, $"random mask r{r}");
                        return Records.From(run, name, "random-mask", seed, data.ImageShape, random, r, config: settings);
                    });
                if (lottery.Controls.HasFlag(LotteryControls.ScratchB))
                    Record($"{prefix}/r{round:D2}-scratch-b", () =>
                        Scratch.Train(masks, model, data, config, ScratchBudget.SameFlops, seed + ScratchSeedOffset * r, experiment: name,
                            progress: progress).Record with { Seed = seed, Round = r, Config = settings });
            }
        }

        private void Record(string key, Func<RunRecord> compute)
        {
            if (store.TryLoad(key, out var record)) Loaded++;
            else
            {
                record = compute();
                store.Save(key, record);
                Computed++;
            }
            Done.Add(record);
        }

        private TrainingRun Train(nn.Module<Tensor, Tensor> network, MaskSet? masks, TrainConfig trainConfig, string runName) =>
            Trainer.Train(network, data, trainConfig, masks is null ? null : new FixedMask(masks, name: runName), progress, runName);

        // Prunes a fraction of the weights that remain (the output layer at its own rate) from the trained weights.
        private MaskSet NextMasks(nn.Module<Tensor, Tensor> trained, MaskSet? current, long seed, int round)
        {
            var outputLayer = Prunable.Default.Select(trained)[^1].Name;
            var criterion = lottery.RandomCriterion ? PruningCriterion.Random(seed * 7919 + round) : PruningCriterion.Magnitude;
            return Prune.ByAmount(trained, lottery.Rate, criterion, current, lottery.Global,
                amountForLayer: lottery.Global || lottery.OutputLayerRate is null ? null
                    : layer => layer == outputLayer ? lottery.OutputLayerRate.Value : null);
        }

        private static MaskSet SameLayerSparsityAtRandom(nn.Module<Tensor, Tensor> network, MaskSet masks, long seed) =>
            Prune.Random(network, SparsityDistribution.PerLayer(masks.Layers.ToDictionary(l => l.Name, l => l.Sparsity)), seed);
    }
}
