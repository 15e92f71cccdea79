using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// How structured pruning scores a unit (a neuron's row of weights, a convolution's filter); the lowest-scoring units
/// are removed first. The L1 and L2 norms are Li et al.'s (2017); <see cref="SumOf"/> turns any per-weight criterion into
/// a unit score, and <see cref="Custom"/> takes any function of a layer's weight.
/// </summary>
public abstract class UnitCriterion
{
    /// <summary>Sum of |w| over the unit (Li et al.'s filter norm).</summary>
    public static UnitCriterion L1 { get; } = new NormCriterion(UnitNorm.L1);

    /// <summary>Square root of the sum of w squared over the unit.</summary>
    public static UnitCriterion L2 { get; } = new NormCriterion(UnitNorm.L2);

    public static UnitCriterion Norm(UnitNorm norm) => norm == UnitNorm.L1 ? L1 : L2;

    /// <summary>
    /// The sum over each unit of a per-weight criterion's scores: <see cref="PruningCriterion.Magnitude"/> gives the L1
    /// norm; a <see cref="ScoreCriterion"/> of SNIP's or SynFlow's scores gives those methods per neuron or filter.
    /// </summary>
    public static UnitCriterion SumOf(PruningCriterion criterion) => new SummedCriterion(criterion);

    /// <summary>
    /// Any score: <paramref name="score"/>(layer name, weight) returns one score per unit, a tensor of shape [units]. The
    /// weight it gets has the removed units' weights at zero. <paramref name="name"/> names it in the method's name and
    /// in run-store keys, so give each function its own.
    /// </summary>
    public static UnitCriterion Custom(string name, Func<string, Tensor, Tensor> score)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A custom unit score needs a name (it keys the runs that use it).", nameof(name));
        return new CustomCriterion(name, score ?? throw new ArgumentNullException(nameof(score)));
    }

    public abstract string Name { get; }

    /// <summary>One score per unit (first dimension of the weight) for each layer, in layer order.</summary>
    internal abstract IReadOnlyList<Tensor> Score(IReadOnlyList<(string Name, Tensor Weight)> layers);

    public override string ToString() => Name;

    private sealed class NormCriterion(UnitNorm norm) : UnitCriterion
    {
        public override string Name => $"{norm} norm";

        internal override IReadOnlyList<Tensor> Score(IReadOnlyList<(string Name, Tensor Weight)> layers) =>
            layers.Select(l =>
            {
                var rows = l.Weight.detach().flatten(1);
                return norm == UnitNorm.L1 ? rows.abs().sum(1) : rows.square().sum(1).sqrt();
            }).ToList();
    }

    private sealed class SummedCriterion(PruningCriterion criterion) : UnitCriterion
    {
        public override string Name => $"sum of {criterion.Name}";

        internal override IReadOnlyList<Tensor> Score(IReadOnlyList<(string Name, Tensor Weight)> layers) =>
            criterion.Score(layers.Select(l => l.Weight).ToList()).Select(s => s.detach().flatten(1).sum(1)).ToList();
    }

    private sealed class CustomCriterion(string name, Func<string, Tensor, Tensor> score) : UnitCriterion
    {
        public override string Name => name;

        internal override IReadOnlyList<Tensor> Score(IReadOnlyList<(string Name, Tensor Weight)> layers) =>
            layers.Select(l =>
            {
                var scores = score(l.Name, l.Weight.detach());
                long units = l.Weight.shape[0];
                if (scores is null || scores.numel() != units)
                    throw new ArgumentException($"The unit score '{name}' gave {(scores is null ? "null" : $"shape [{string.Join(", ", scores.shape)}]")} " +
                        $"for layer '{l.Name}', which has {units} units: return one score per unit, a tensor of shape [{units}].");
                return scores.detach().flatten();
            }).ToList();
    }
}
