using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Methods;

public class DynamicSparseTrainingTests
{
    private static readonly TrainConfig Config = new() { Steps = 80, BatchSize = 30, EvaluateEvery = 0, Optimizer = new Adam(1e-3) };
    private static readonly DropAndGrowSchedule Every10 = new(UpdateEvery: 10, DropFraction: 0.3, EndFraction: 0.75);

    // LeNet-300-100's first layer holds 88% of its weights: with it dense, 10% is what the rest can give.
    public static TheoryData<string, string, double> MethodsAndDistributions => new()
    {
        { "rigl", "erk", 0.9 }, { "rigl", "uniform", 0.9 }, { "rigl", "first-layer-dense", 0.1 }, { "set", "erk", 0.9 }, { "set", "uniform", 0.9 },
    };

    private static Observed Run(string method, string distribution, double sparsity = 0.9)
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 300, testCount: 100, seed: 2, device: CPU);
        var observed = new Observed(method == "rigl"
            ? new RiggedLottery(MethodCatalog.Distribution(distribution, sparsity), seed: 3, Every10)
            : new SparseEvolutionaryTraining(MethodCatalog.Distribution(distribution, sparsity), seed: 3, Every10));
        Trainer.Train(Zoo.LeNet300_100(seed: 1, device: CPU), data, Config, observed);
        return observed;
    }

    [Theory]
    [MemberData(nameof(MethodsAndDistributions))]
    public void Every_layer_keeps_its_count_of_active_weights_across_updates(string method, string distribution, double sparsity)
    {
        var run = Run(method, distribution, sparsity);
        Assert.NotEmpty(run.Inner.Updates);
        var first = run.KeptAfterEachStep[0];
        Assert.Equal(sparsity, 1 - (double)first.Values.Sum() / 266_200, 3);
        foreach (var kept in run.KeptAfterEachStep) Assert.Equal(first, kept);
        Assert.True(run.ChangedMasks > 0, "no update changed a mask");
    }

    [Theory]
    [InlineData("rigl")]
    [InlineData("set")]
    public void Each_update_drops_f_decay_times_the_active_weights_per_layer(string method)
    {
        var run = Run(method, "erk");
        int nonZeroLayers = 0;
        foreach (var update in run.Inner.Updates)
        {
            double f = 0.3 / 2 * (1 + Math.Cos(Math.PI * update.Step / 60.0));
            Assert.Equal(f, update.DropFraction, 12);
            foreach (var (name, kept) in run.KeptAfterEachStep[0])
            {
                // k = f (1 - s) N, capped by the inactive weights to grow into (ERK leaves LeNet's output layer dense: none).
                long expected = Math.Min((long)Math.Round(f * kept), run.TotalOf[name] - kept);
                if (expected > 0) nonZeroLayers++;
                Assert.Equal(expected, update.Dropped[name]);
                Assert.Equal(expected, run.DroppedObserved[(update.Step, name)]);   // counted from the masks themselves
            }
        }
        Assert.True(nonZeroLayers >= 2 * run.Inner.Updates.Count);
    }

    [Theory]
    [InlineData("rigl")]
    [InlineData("set")]
    public void Grown_weights_are_zero_at_the_update_and_were_inactive_before(string method)
    {
        var run = Run(method, "erk");
        Assert.True(run.GrownChecked > 0);
        Assert.Equal(0, run.GrownNonZero);
        Assert.Equal(0, run.GrownNonZeroState);
    }

    [Fact]
    public void No_update_at_or_after_the_end_step()
    {
        var run = Run("rigl", "erk");
        // Delta T 10, end 3/4 of 80 = 60: updates at 10..50 only, masks unchanged from then on.
        Assert.Equal(new long[] { 10, 20, 30, 40, 50 }, run.Inner.Updates.Select(u => u.Step));
        Assert.True(run.LastChange <= 50, $"the masks changed at step {run.LastChange}");
    }

    [Fact]
    public void RigL_grows_the_inactive_weights_with_the_largest_dense_gradient()
    {
        var run = Run("rigl", "erk");
        Assert.True(run.GrownChecked > 0);
        Assert.Equal(0, run.GrownBelowInactiveMaximum);
    }

    [Fact]
    public void Static_sparse_training_keeps_its_random_mask()
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 300, testCount: 100, seed: 2, device: CPU);
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var method = new StaticSparseTraining(SparsityDistribution.ErdosRenyiKernel(0.9), seed: 3);
        Trainer.Train(model, data, Config with { Steps = 20 }, method);
        using var expected = Prune.Random(Zoo.LeNet300_100(seed: 1, device: CPU), SparsityDistribution.ErdosRenyiKernel(0.9), seed: 3);
        foreach (var (name, mask) in expected.Entries) Assert.True(mask.IsSameAs(method.Masks![name]).item<bool>(), name);
    }

    /// <summary>Wraps a dynamic method and checks, around each update, what the masks, weights and optimizer state do.</summary>
    private sealed class Observed(DynamicSparseTraining inner) : TrainingMethod
    {
        public DynamicSparseTraining Inner { get; } = inner;
        public List<Dictionary<string, long>> KeptAfterEachStep { get; } = [];
        public Dictionary<string, long> TotalOf => Inner.Masks!.Layers.ToDictionary(l => l.Name, l => l.Total);
        public Dictionary<(long, string), long> DroppedObserved { get; } = [];
        public long GrownChecked, GrownNonZero, GrownNonZeroState, GrownBelowInactiveMaximum, ChangedMasks, LastChange;

        public override MaskSet? Masks => Inner.Masks;
        public override void OnStart(TrainingContext context) => Inner.OnStart(context);

        public override void BeforeStep(TrainingContext context)
        {
            var before = Inner.Masks!.Entries.ToDictionary(m => m.Key, m => m.Value.clone());   // the step's dispose scope frees these
            var gradients = context.Model.named_parameters().Where(p => before.ContainsKey(p.name)).ToDictionary(p => p.name, p => p.parameter.grad!.abs());
            int updates = Inner.Updates.Count;
            Inner.BeforeStep(context);
            if (Inner.Updates.Count == updates) return;
            var weights = context.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, old) in before)
            {
                var now = Inner.Masks![name];
                var grown = now.eq(1).logical_and(old.eq(0));
                DroppedObserved[(context.Step, name)] = now.eq(0).logical_and(old.eq(1)).sum().item<long>();
                GrownChecked += grown.sum().item<long>();
                GrownNonZero += weights[name].masked_select(grown).count_nonzero().item<long>();
                foreach (var state in context.Optimizer.StateOf(name)) GrownNonZeroState += state.masked_select(grown).count_nonzero().item<long>();
                // RigL: no inactive weight left behind has a larger gradient than the smallest grown one.
                if (grown.any().item<bool>())
                {
                    float smallestGrown = gradients[name].masked_select(grown).min().item<float>();
                    var leftInactive = now.eq(0).logical_and(old.eq(0));
                    if (leftInactive.any().item<bool>() && gradients[name].masked_select(leftInactive).max().item<float>() > smallestGrown)
                        GrownBelowInactiveMaximum++;
                }
            }
        }

        public override void AfterStep(TrainingContext context)
        {
            var previous = KeptAfterEachStep.Count > 0 ? _last : null;
            KeptAfterEachStep.Add(Inner.Masks!.Layers.ToDictionary(l => l.Name, l => l.Kept));
            // Kept past the step's dispose scope for the next step's comparison.
            var current = Inner.Masks.Entries.ToDictionary(m => m.Key, m => m.Value.clone().DetachFromDisposeScope());
            if (previous is not null && current.Any(kv => !kv.Value.IsSameAs(previous[kv.Key]).item<bool>()))
            {
                ChangedMasks++;
                LastChange = context.Step - 1;   // the update ran in the BeforeStep of the step just done
            }
            _last = current;
        }

        private Dictionary<string, Tensor>? _last;
    }
}
