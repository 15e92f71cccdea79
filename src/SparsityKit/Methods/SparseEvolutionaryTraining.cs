using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// SET (Mocanu et al. 2018): dynamic sparse training that drops the smallest-magnitude weights and grows new ones
/// uniformly at random among the inactive, on RigL's schedule by default so that the two differ only in how they grow.
/// </summary>
public sealed class SparseEvolutionaryTraining(SparsityDistribution distribution, long seed, DropAndGrowSchedule? schedule = null,
    Prunable? prunable = null) : DynamicSparseTraining(distribution, seed, schedule, prunable)
{
    private Generator? _generator;

    public override string Name => $"SET ({Distribution}, {Schedule})";

    public override void OnStart(TrainingContext context)
    {
        base.OnStart(context);
        _generator?.Dispose();
        // A stream of its own, apart from the initial mask's: same seed, same growth.
        _generator = SparsityKit.Seeding.Generator(Seed * 1_000_003 + 17);
    }

    protected override Tensor GrowScores(TrainingContext context, string name, Parameter weight) =>
        rand(weight.shape, generator: _generator).to(weight.device);

    public override void OnEnd(TrainingContext context)
    {
        _generator?.Dispose();
        _generator = null;
    }
}
