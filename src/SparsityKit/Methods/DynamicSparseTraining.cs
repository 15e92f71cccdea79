using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// Sparse training from a random sparse start whose connectivity changes during training (SET, RigL): at the steps
/// of a <see cref="DropAndGrowSchedule"/>, each layer drops its k = f_decay(t) x (active weights) smallest-magnitude
/// active weights and grows k weights that were inactive before the update, chosen by <see cref="GrowScores"/>. Every
/// layer keeps its count of active weights. The update runs after the backward pass and before the optimizer step,
/// where the gradients are still dense; grown weights start at zero with zero optimizer state (they were masked).
/// </summary>
public abstract class DynamicSparseTraining : MaskedTraining
{
    private readonly List<MaskUpdate> _updates = [];

    protected DynamicSparseTraining(SparsityDistribution distribution, long seed, DropAndGrowSchedule? schedule, Prunable? prunable)
        : base(prunable)
    {
        Distribution = distribution;
        Seed = seed;
        Schedule = schedule ?? DropAndGrowSchedule.RigL;
        Schedule.Validate();
    }

    /// <summary>How the sparsity of the random initial mask is spread over the layers (held through training).</summary>
    public SparsityDistribution Distribution { get; }

    /// <summary>Seed of the random initial mask (and of SET's random growth).</summary>
    public long Seed { get; }

    public DropAndGrowSchedule Schedule { get; }

    /// <summary>The updates made so far, in order.</summary>
    public IReadOnlyList<MaskUpdate> Updates => _updates;

    /// <summary>
    /// Scores for growing, same shape as the weight; the highest-scoring weights among those inactive before the update
    /// grow. Runs under no_grad in the update's dispose scope, with the step's dense gradient in <c>weight.grad</c>.
    /// </summary>
    protected abstract Tensor GrowScores(TrainingContext context, string name, Parameter weight);

    public override void OnStart(TrainingContext context)
    {
        _updates.Clear();
        SetMasks(context, Prune.Random(context.Model, Distribution, Seed, prunable: Prunable));
    }

    public override void BeforeStep(TrainingContext context)
    {
        if (Schedule.IsUpdateStep(context.Step, context.Config.Steps)) Update(context);
    }

    private void Update(TrainingContext context)
    {
        double fraction = Schedule.DropFractionAt(context.Step, context.Config.Steps);
        var dropped = new Dictionary<string, long>();
        var next = new List<KeyValuePair<string, Tensor>>();
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            foreach (var (name, weight) in Prunable.Select(context.Model))
            {
                var mask = Masks![name].flatten();
                long active = (long)mask.sum().item<float>();
                // k = f_decay(t) (1 - s) N; never more than there are inactive weights to grow into.
                long k = Math.Min((long)Math.Round(fraction * active), mask.numel() - active);
                var updated = mask.clone();
                if (k > 0)
                {
                    var dropScores = weight.detach().abs().flatten().masked_fill(mask.eq(Scalars.Zero), Scalars.PositiveInfinity);
                    var (_, dropOrder) = sort(dropScores, stable: true);
                    var drop = dropOrder.narrow(0, 0, k);
                    var growScores = GrowScores(context, name, weight).flatten().to(ScalarType.Float32).masked_fill(mask.eq(Scalars.One), Scalars.NegativeInfinity);
                    var (_, growOrder) = sort(growScores, descending: true, stable: true);
                    var grow = growOrder.narrow(0, 0, k);
                    updated.index_fill_(0, drop, Scalars.Zero).index_fill_(0, grow, Scalars.One);
                }
                dropped[name] = k;
                next.Add(new(name, updated.view(weight.shape).MoveToOuterDisposeScope()));
            }
        }
        SetMasks(context, new MaskSet(next));
        _updates.Add(new MaskUpdate(context.Step, fraction, dropped));
    }
}
