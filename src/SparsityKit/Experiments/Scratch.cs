using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>
/// Trains a sparse architecture (a mask from any pruning result) from a fresh random initialisation, as Liu et al.
/// do, to test whether the architecture alone, without the pruned model's weights, reaches the same accuracy.
/// </summary>
public static class Scratch
{
    /// <summary>Scratch-B trains at most this many times as long as the dense model.</summary>
    public const double DefaultScratchBCap = 2.0;

    /// <summary>
    /// Steps for a budget: scratch-E keeps <paramref name="steps"/>; scratch-B scales them by dense / sparse forward
    /// FLOPs, capped at <paramref name="cap"/> times (null for no cap), rounded to whole steps.
    /// </summary>
    public static int StepsFor(ScratchBudget budget, int steps, long denseFlops, long sparseFlops, double? cap = DefaultScratchBCap)
    {
        if (budget == ScratchBudget.SameSteps) return steps;
        if (sparseFlops <= 0) throw new ArgumentException("The sparse model has no FLOPs left (everything pruned); scratch-B is undefined.");
        double factor = (double)denseFlops / sparseFlops;
        if (cap is { } c) factor = Math.Min(factor, c);
        return (int)Math.Round(steps * factor);
    }

    /// <summary>
    /// Trains <paramref name="masks"/>' architecture from <paramref name="model"/>(<paramref name="seed"/>) for the budget's
    /// steps. The learning-rate schedule stretches with the run: cosine and warm-up are relative to the total steps,
    /// and step-decay milestones are scaled by the same factor (Liu et al. drop the rate at the same fractions of training).
    /// </summary>
    /// <param name="checkpoint">A file for mid-run checkpoints (see <see cref="Trainer.Train"/>).</param>
    public static (TrainingRun Run, RunRecord Record) Train(MaskSet masks, ModelFactory model, Dataset data, TrainConfig config,
        ScratchBudget budget, long seed, double? cap = DefaultScratchBCap, string experiment = "scratch",
        IProgress<TrainingProgress>? progress = null, string? checkpoint = null)
    {
        var network = model(seed);
        var report = SparsityReport.Of(network, data.ImageShape, masks);
        int steps = StepsFor(budget, config.Steps, report.DenseFlops, report.SparseFlops, cap);
        string kind = budget == ScratchBudget.SameSteps ? "scratch-e" : "scratch-b";
        var schedule = config.Schedule is StepDecay decay && steps != config.Steps
            ? decay with { Milestones = decay.Milestones.Select(m => (long)Math.Round(m * (double)steps / config.Steps)).ToList() }
            : config.Schedule;
        var scaled = config with { Steps = steps, Schedule = schedule, EvaluateEvery = config.EvaluateEvery == 0 ? 0 : Math.Min(config.EvaluateEvery, steps) };
        var key = RunKey.Of(("model", network), ("data", data), ("config", scaled), ("masks", masks), ("budget", budget), ("seed", seed));
        var run = Trainer.Train(network, data, scaled, new FixedMask(masks, name: kind), progress, kind, checkpoint);
        return (run, Records.From(run, experiment, kind, seed, data.ImageShape, masks, config: key.Description));
    }
}
