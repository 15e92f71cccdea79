using SparsityKit.Sparsity;

namespace SparsityKit.Tests.Sparsity;

public class SparsityDistributionTests
{
    private static readonly (string, long[])[] LeNet300 = [("fc1.weight", [300, 784]), ("fc2.weight", [100, 300]), ("fc3.weight", [10, 100])];
    private static readonly (string, long[])[] LeNet5 =
        [("conv1.weight", [20, 1, 5, 5]), ("conv2.weight", [50, 20, 5, 5]), ("fc1.weight", [500, 800]), ("fc2.weight", [10, 500])];

    private static long Size(long[] s) => s.Aggregate(1L, (a, b) => a * b);

    private static long Pruned(PruneTargets t) => t.Global ?? t.PerLayer!.Values.Sum();

    public static TheoryData<string, double> Cases()
    {
        var data = new TheoryData<string, double>();
        foreach (var name in new[] { "uniform", "first-dense", "first-dense-capped", "global", "er", "erk" })
            foreach (var s in new[] { 0.5, 0.8, 0.9, 0.95, 0.98 }) data.Add(name, s);
        return data;
    }

    private static SparsityDistribution Make(string name, double s) => name switch
    {
        "uniform" => SparsityDistribution.Uniform(s),
        "first-dense" => SparsityDistribution.UniformFirstDense(s),
        "first-dense-capped" => SparsityDistribution.UniformFirstDense(s, lastLayerCap: 0.8),
        "global" => SparsityDistribution.Global(s),
        "er" => SparsityDistribution.ErdosRenyi(s),
        _ => SparsityDistribution.ErdosRenyiKernel(s),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Achieved_total_matches_the_request_within_one_weight_per_layer(string name, double sparsity)
    {
        foreach (var layers in new[] { LeNet300, LeNet5 })
        {
            long total = layers.Sum(l => Size(l.Item2));
            if (name.StartsWith("first-dense") && sparsity * total > total - Size(layers[0].Item2)) continue;
            var targets = Make(name, sparsity).Allocate(layers);
            Assert.InRange(Pruned(targets), sparsity * total - layers.Length, sparsity * total + layers.Length);
            if (targets.PerLayer is { } perLayer)
                Assert.All(layers, l => Assert.InRange(perLayer[l.Item1], 0, Size(l.Item2)));
        }
    }

    [Fact]
    public void First_layer_dense_keeps_it_dense_and_caps_the_last_layer()
    {
        var targets = SparsityDistribution.UniformFirstDense(0.9, lastLayerCap: 0.8).Allocate(LeNet5).PerLayer!;
        Assert.Equal(0, targets["conv1.weight"]);
        Assert.Equal(4_000, targets["fc2.weight"]);
        Assert.Equal(targets["conv2.weight"] / 25_000.0, targets["fc1.weight"] / 400_000.0, 4);
    }

    [Fact]
    public void Unreachable_first_layer_dense_target_is_an_error()
    {
        var layers = new (string, long[])[] { ("a", [100, 100]), ("b", [10, 10]) };
        Assert.Contains("cannot be reached", Assert.Throws<ArgumentException>(() => SparsityDistribution.UniformFirstDense(0.5).Allocate(layers)).Message);
    }

    [Fact]
    public void Erdos_renyi_kernel_density_is_proportional_to_sum_over_product_of_the_shape()
    {
        var perLayer = SparsityDistribution.ErdosRenyiKernel(0.9).Allocate(LeNet5).PerLayer!;
        double Density(int i) => 1 - perLayer[LeNet5[i].Item1] / (double)Size(LeNet5[i].Item2);
        double Raw(int i) => LeNet5[i].Item2.Sum() / (double)Size(LeNet5[i].Item2);
        // conv1 and fc2 would get a density above 1 (epsilon = 27.2), so they are dense; conv2 and fc1 share epsilon,
        // equal up to rounding each layer to whole weights.
        Assert.Equal(1.0, Density(0));
        Assert.Equal(1.0, Density(3));
        Assert.InRange(Density(1) / Raw(1), 27.1, 27.3);
        Assert.InRange(Density(1) / Raw(1) / (Density(2) / Raw(2)), 0.999, 1.001);
    }

    [Fact]
    public void Erdos_renyi_ignores_kernel_size()
    {
        var perLayer = SparsityDistribution.ErdosRenyi(0.9).Allocate(LeNet5).PerLayer!;
        double Density(int i) => 1 - perLayer[LeNet5[i].Item1] / (double)Size(LeNet5[i].Item2);
        Assert.InRange(Density(1) / ((50 + 20) / (50.0 * 20)) / (Density(2) / ((500 + 800) / (500.0 * 800))), 0.999, 1.001);
    }

    [Fact]
    public void Per_layer_map_is_exact_and_scales_down_for_lower_totals()
    {
        var d = SparsityDistribution.PerLayer(new Dictionary<string, double> { ["fc1.weight"] = 0.9, ["fc2.weight"] = 0.6 });
        var full = d.Allocate(LeNet300).PerLayer!;
        Assert.Equal(211_680, full["fc1.weight"]);
        Assert.Equal(18_000, full["fc2.weight"]);
        Assert.Equal(0, full["fc3.weight"]);
        Assert.Equal(105_840, d.Allocate(LeNet300, 0.45).PerLayer!["fc1.weight"]);
        Assert.Throws<ArgumentException>(() => SparsityDistribution.PerLayer(new Dictionary<string, double> { ["x"] = 0.5 }).Allocate(LeNet300));
    }
}
