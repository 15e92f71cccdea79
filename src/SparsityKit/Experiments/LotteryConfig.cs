namespace SparsityKit.Experiments;

/// <summary>Which control experiments run beside the winning tickets, on the same masks.</summary>
[Flags]
public enum LotteryControls
{
    None = 0,
    /// <summary>The ticket's mask with a fresh random initialisation.</summary>
    RandomReinit = 1,
    /// <summary>A random mask with the ticket's per-layer sparsity, rewound to the same weights.</summary>
    RandomMask = 2,
    /// <summary>Scratch-B (Liu et al.): the ticket's mask, a fresh initialisation, trained for the dense model's FLOPs budget.
    /// (Scratch-E, the same mask and steps from a fresh initialisation, is <see cref="RandomReinit"/>.)</summary>
    ScratchB = 4,
    All = RandomReinit | RandomMask | ScratchB,
}

/// <summary>
/// Iterative magnitude pruning with rewinding (Frankle and Carbin; Frankle et al.'s late rewinding). Defaults are
/// the paper's LeNet-300-100 settings: 20% of the remaining weights per round and layer, the output layer at 10%.
/// </summary>
public sealed record LotteryConfig
{
    public int Rounds { get; init; } = 10;

    /// <summary>Fraction of the remaining weights pruned per round (per layer, or over all layers when <see cref="Global"/>).</summary>
    public double Rate { get; init; } = 0.2;

    /// <summary>Rate for the last prunable layer (Frankle and Carbin prune it at half rate); null for <see cref="Rate"/>.</summary>
    public double? OutputLayerRate { get; init; } = 0.1;

    /// <summary>Step whose weights survivors are rewound to: 0 is the original initialisation, k > 0 late rewinding.</summary>
    public long RewindStep { get; init; }

    /// <summary>One magnitude threshold across layers instead of one per layer.</summary>
    public bool Global { get; init; }

    /// <summary>Prune by magnitude (the lottery ticket) or at random (a control for the whole procedure).</summary>
    public bool RandomCriterion { get; init; }

    public IReadOnlyList<long> Seeds { get; init; } = [1];

    public LotteryControls Controls { get; init; } = LotteryControls.All;

    /// <summary>
    /// Whether a trial's seed also sets its batch order (the config's <c>DataSeed</c> becomes the seed), so trials differ
    /// in data order as well as initialisation, as Frankle and Carbin's do. Off by default: earlier results stay reproducible.
    /// </summary>
    public bool SeedSetsBatchOrder { get; init; }

    /// <summary>
    /// An N:M pattern (2:4, 1:4, ...) the tickets take: each round prunes its rate of a layer's remaining weights, those
    /// outside the pattern first and never past it, so the rounds reach the pattern (exactly N of every M weights along the
    /// input dimension) and later rounds hold it. A round that prunes to the pattern at once is Rate = 1 - N/M, Rounds = 1.
    /// The reinit and scratch controls train the ticket's N:M mask; the random-mask control keeps each layer's sparsity,
    /// not the pattern. Null (the default) for unstructured tickets. Keyed only when set, so runs without a pattern keep their keys.
    /// </summary>
    [field: NotInRunKey]
    public SparsityKit.Sparsity.NMSparsity? Pattern { get; init; }

    public void Validate()
    {
        if (Rounds < 0) throw new ArgumentOutOfRangeException(nameof(Rounds), Rounds, "Rounds must not be negative.");
        // "Not inside" rejects NaN too, before the dense run rather than at the first pruning.
        if (!(Rate > 0 && Rate < 1)) throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "The pruning rate per round must lie in (0, 1), e.g. 0.2.");
        if (OutputLayerRate is { } outputRate && !(outputRate > 0 && outputRate < 1)) throw new ArgumentOutOfRangeException(nameof(OutputLayerRate), OutputLayerRate, "Must lie in (0, 1) or be null.");
        if (RewindStep < 0) throw new ArgumentOutOfRangeException(nameof(RewindStep), RewindStep, "The rewind step must not be negative.");
        if (Seeds.Count == 0) throw new ArgumentException("At least one seed is needed.", nameof(Seeds));
        if (Pattern is not null && Global)
            throw new ArgumentException($"An N:M pattern ({Pattern}) holds in every layer, so the lottery cannot prune globally: set Global = false.", nameof(Global));
        if (Global && OutputLayerRate is not null)
            throw new ArgumentException("A separate output-layer rate does not apply to global pruning: set OutputLayerRate = null.", nameof(OutputLayerRate));
    }

    /// <summary>The fraction of weights remaining after round <paramref name="round"/> in layers pruned at <paramref name="rate"/>.</summary>
    public static double Remaining(double rate, int round) => Math.Pow(1 - rate, round);

    /// <summary>The settings that decide which weights each round prunes and where it rewinds to.</summary>
    public string PruningDescription =>
        $"rate {Rate}, output rate {OutputLayerRate?.ToString() ?? "same"}, rewind to step {RewindStep}, " +
        $"{(Global ? "global" : "layerwise")}, {(RandomCriterion ? "random" : "magnitude")}" + (Pattern is null ? "" : $", {Pattern} pattern");

    public override string ToString() => $"rounds {Rounds}, {PruningDescription}, seeds [{string.Join(", ", Seeds)}], controls {Controls}";
}
