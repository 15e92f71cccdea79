namespace SparsityKit.Sparsity;

/// <summary>
/// How a total sparsity target is spread over the prunable layers. <see cref="Allocate"/> turns a target
/// into exact counts of pruned weights; the achieved total matches the target to within one weight per layer.
/// </summary>
public abstract class SparsityDistribution
{
    protected SparsityDistribution(double target)
    {
        Target = CheckFraction(target, nameof(target));
    }

    /// <summary>The total fraction of prunable weights to prune, e.g. 0.9.</summary>
    public double Target { get; }

    public abstract string Name { get; }

    /// <summary>Every layer at the same sparsity (the paper's default for its main results).</summary>
    public static SparsityDistribution Uniform(double sparsity) => new UniformDistribution(sparsity);

    /// <summary>The first layer kept dense and the other layers raised to reach the total (Gale et al.'s ResNet-50 choice);
    /// with <paramref name="lastLayerCap"/>, the last layer is pruned at most that much and the middle layers make up the rest.</summary>
    public static SparsityDistribution UniformFirstDense(double sparsity, double? lastLayerCap = null) =>
        new FirstLayerDenseDistribution(sparsity, lastLayerCap);

    /// <summary>One threshold across all layers (global magnitude pruning); layers end up with different sparsities.</summary>
    public static SparsityDistribution Global(double sparsity) => new GlobalDistribution(sparsity);

    /// <summary>Erdős–Rényi (Mocanu et al.): layer density proportional to (n_in + n_out) / (n_in * n_out).</summary>
    public static SparsityDistribution ErdosRenyi(double sparsity) => new ErdosRenyiDistribution(sparsity, withKernel: false);

    /// <summary>Erdős–Rényi-Kernel (Evci et al.): density proportional to sum(shape) / prod(shape), kernel sizes included.</summary>
    public static SparsityDistribution ErdosRenyiKernel(double sparsity) => new ErdosRenyiDistribution(sparsity, withKernel: true);

    /// <summary>An explicit sparsity per layer, by parameter name; layers not named stay dense.</summary>
    public static SparsityDistribution PerLayer(IReadOnlyDictionary<string, double> sparsities) => new PerLayerDistribution(sparsities);

    /// <summary>Pruned-weight counts per layer (or across layers) for total sparsity <paramref name="sparsity"/> (default <see cref="Target"/>).</summary>
    public PruneTargets Allocate(IReadOnlyList<(string Name, long[] Shape)> layers, double? sparsity = null)
    {
        if (layers.Count == 0) throw new ArgumentException("No layers to prune.", nameof(layers));
        return AllocateAt(layers, CheckFraction(sparsity ?? Target, nameof(sparsity)));
    }

    protected abstract PruneTargets AllocateAt(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity);

    public override string ToString() => $"{Name} {Target:P1}";

    internal static double CheckFraction(double value, string name)
    {
        if (double.IsNaN(value) || value < 0 || value > 1)
            throw new ArgumentOutOfRangeException(name, value,
                $"A sparsity is a fraction in [0, 1] (0.9 means 90% of the weights pruned); got {value}.");
        return value;
    }

    protected static long Size(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    protected static long Round(double value) => (long)Math.Round(value, MidpointRounding.ToEven);

    protected static PruneTargets ByFraction(IReadOnlyList<(string Name, long[] Shape)> layers, Func<int, double> fraction) =>
        PruneTargets.Layerwise(layers.Select((l, i) => (l.Name, Count: Round(Math.Clamp(fraction(i), 0, 1) * Size(l.Shape))))
            .ToDictionary(x => x.Name, x => x.Count));
}

internal sealed class UniformDistribution(double sparsity) : SparsityDistribution(sparsity)
{
    public override string Name => "uniform";

    protected override PruneTargets AllocateAt(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity) =>
        ByFraction(layers, _ => sparsity);
}

internal sealed class GlobalDistribution(double sparsity) : SparsityDistribution(sparsity)
{
    public override string Name => "global";

    protected override PruneTargets AllocateAt(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity) =>
        PruneTargets.AcrossLayers(Round(sparsity * layers.Sum(l => Size(l.Shape))));
}

internal sealed class FirstLayerDenseDistribution : SparsityDistribution
{
    private readonly double? _lastLayerCap;

    public FirstLayerDenseDistribution(double sparsity, double? lastLayerCap) : base(sparsity)
    {
        if (lastLayerCap is { } cap) CheckFraction(cap, nameof(lastLayerCap));
        _lastLayerCap = lastLayerCap;
    }

    public override string Name => _lastLayerCap is { } cap ? $"uniform, first layer dense, last at most {cap:P0}" : "uniform, first layer dense";

    protected override PruneTargets AllocateAt(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity)
    {
        if (layers.Count < 2) throw new ArgumentException("Keeping the first layer dense needs at least two prunable layers.");
        var sizes = layers.Select(l => (double)Size(l.Shape)).ToArray();
        double toPrune = sparsity * sizes.Sum();
        double rest = sizes.Skip(1).Sum();
        double middle = toPrune / rest;
        double last = middle;
        if (_lastLayerCap is { } cap && middle > cap && layers.Count > 2)
        {
            last = cap;
            middle = (toPrune - cap * sizes[^1]) / (rest - sizes[^1]);
        }
        if (middle > 1 + 1e-12)
            throw new ArgumentException($"{sparsity:P1} sparsity cannot be reached with the first layer dense" +
                (_lastLayerCap is null ? "" : $" and the last layer at most {_lastLayerCap:P0}") + ": the other layers would need more than 100%.");
        return ByFraction(layers, i => i == 0 ? 0 : i == layers.Count - 1 ? last : middle);
    }
}

internal sealed class ErdosRenyiDistribution(double sparsity, bool withKernel) : SparsityDistribution(sparsity)
{
    public override string Name => withKernel ? "Erdős–Rényi-Kernel" : "Erdős–Rényi";

    protected override PruneTargets AllocateAt(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity)
    {
        var sizes = layers.Select(l => (double)Size(l.Shape)).ToArray();
        var raw = layers.Select(l => RawDensity(l.Shape)).ToArray();
        double keep = (1 - sparsity) * sizes.Sum();
        var dense = new bool[layers.Count];
        double epsilon;
        while (true)
        {
            // Solve epsilon so that the kept weights add up, with the layers already made dense held at density 1.
            double denseKept = sizes.Where((_, i) => dense[i]).Sum();
            double scaled = raw.Select((r, i) => dense[i] ? 0 : r * sizes[i]).Sum();
            epsilon = scaled == 0 ? 0 : (keep - denseKept) / scaled;
            int worst = -1;
            for (int i = 0; i < layers.Count; i++)
                if (!dense[i] && epsilon * raw[i] > 1 && (worst < 0 || raw[i] > raw[worst])) worst = i;
            if (worst < 0) break;
            dense[worst] = true;
        }
        return ByFraction(layers, i => dense[i] ? 0 : 1 - epsilon * raw[i]);
    }

    private double RawDensity(long[] shape)
    {
        if (shape.Length < 2) throw new ArgumentException("Erdős–Rényi needs weight matrices or kernels (two or more dimensions).");
        if (withKernel) return shape.Sum(d => (double)d) / Size(shape);
        double fanOut = shape[0], fanIn = shape[1];
        return (fanIn + fanOut) / (fanIn * fanOut);
    }
}

internal sealed class PerLayerDistribution(IReadOnlyDictionary<string, double> sparsities)
    : SparsityDistribution(sparsities.Count == 0 ? 0 : sparsities.Values.Select(v => CheckFraction(v, nameof(sparsities))).Max())
{
    public override string Name => "per layer";

    // At a lower total (during a gradual schedule) every layer is scaled down in proportion.
    protected override PruneTargets AllocateAt(IReadOnlyList<(string Name, long[] Shape)> layers, double sparsity)
    {
        var unknown = sparsities.Keys.Except(layers.Select(l => l.Name)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"No prunable layer named {string.Join(", ", unknown)}. Layers: {string.Join(", ", layers.Select(l => l.Name))}.");
        double scale = Target == 0 ? 0 : sparsity / Target;
        return ByFraction(layers, i => sparsities.GetValueOrDefault(layers[i].Name) * scale);
    }
}
