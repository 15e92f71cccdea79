using SparsityKit.Data;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Methods;

public class PruningAtInitializationTests
{
    // A 3-2-2 ReLU network and one example, small enough to differentiate by hand.
    private static readonly double[,] W1 = { { 0.5, -0.3, 0.8 }, { -0.4, 0.9, 0.2 } };
    private static readonly double[] B1 = { 0.1, 0.05 };
    private static readonly double[,] W2 = { { 0.7, -0.6 }, { -0.2, 0.4 } };
    private static readonly double[] B2 = { 0.0, 0.1 };
    private static readonly double[] X = { 1.0, 0.5, -0.25 };
    private const int Label = 1;

    private sealed class TwoLayer : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear fc1 = nn.Linear(3, 2), fc2 = nn.Linear(2, 2);

        public TwoLayer() : base(nameof(TwoLayer))
        {
            RegisterComponents();
            using var noGrad = no_grad();
            fc1.weight!.copy_(Flat(W1).view(2, 3)); fc1.bias!.copy_(tensor(B1.Select(v => (float)v).ToArray()));
            fc2.weight!.copy_(Flat(W2).view(2, 2)); fc2.bias!.copy_(tensor(B2.Select(v => (float)v).ToArray()));
        }

        public override Tensor forward(Tensor x) => fc2.call(nn.functional.relu(fc1.call(x)));
    }

    private static Tensor Flat(double[,] m) => tensor(m.Cast<double>().Select(v => (float)v).ToArray());

    private static Dataset OneExample()
    {
        var x = tensor(X.Select(v => (float)v).ToArray()).view(1, 3);
        var y = tensor(new long[] { Label });
        return new Dataset("one example", x, y, x.clone(), y.clone(), classCount: 2);
    }

    /// <summary>Gradients of cross-entropy(logits / T) by the chain rule, in double precision.</summary>
    private static (double[,] G1, double[,] G2) Gradients(double[,] w1, double[,] w2, double temperature)
    {
        var a = new double[2];
        var h = new double[2];
        for (int i = 0; i < 2; i++)
        {
            a[i] = B1[i] + Enumerable.Range(0, 3).Sum(j => w1[i, j] * X[j]);
            h[i] = Math.Max(0, a[i]);
        }
        var z = Enumerable.Range(0, 2).Select(k => (B2[k] + w2[k, 0] * h[0] + w2[k, 1] * h[1]) / temperature).ToArray();
        double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
        var dz = z.Select((v, k) => (Math.Exp(v - max) / sum - (k == Label ? 1 : 0)) / temperature).ToArray();
        var g2 = new double[2, 2];
        var g1 = new double[2, 3];
        for (int k = 0; k < 2; k++) for (int i = 0; i < 2; i++) g2[k, i] = dz[k] * h[i];
        for (int i = 0; i < 2; i++)
        {
            double dh = dz[0] * w2[0, i] + dz[1] * w2[1, i];
            double da = a[i] > 0 ? dh : 0;
            for (int j = 0; j < 3; j++) g1[i, j] = da * X[j];
        }
        return (g1, g2);
    }

    private static void AssertClose(double[,] expected, Tensor actual, double tolerance)
    {
        var values = actual.to(ScalarType.Float64).data<double>().ToArray();
        var flat = expected.Cast<double>().ToArray();
        Assert.Equal(flat.Length, values.Length);
        for (int i = 0; i < flat.Length; i++) Assert.True(Math.Abs(flat[i] - values[i]) <= tolerance * (1 + Math.Abs(flat[i])), $"entry {i}: expected {flat[i]:G6}, got {values[i]:G6}");
    }

    private static double[,] Map(double[,] a, double[,] b, Func<double, double, double> f)
    {
        var r = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) r[i, j] = f(a[i, j], b[i, j]);
        return r;
    }

    [Fact]
    public void Snip_scores_equal_the_hand_computed_connection_sensitivity()
    {
        using var data = OneExample();
        var model = new TwoLayer();
        var scores = InitializationCriterion.Snip(examples: 1).Scores(model, data, seed: 0);
        var (g1, g2) = Gradients(W1, W2, temperature: 1);
        AssertClose(Map(g1, W1, (g, w) => Math.Abs(g * w)), scores[0], 1e-5);
        AssertClose(Map(g2, W2, (g, w) => Math.Abs(g * w)), scores[1], 1e-5);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null));   // leaves no gradients behind
    }

    [Fact]
    public void Grasp_scores_equal_minus_w_times_the_hand_computed_Hessian_gradient_product()
    {
        using var data = OneExample();
        var model = new TwoLayer();
        const double t = 2;
        var grasp = (GraspCriterion)InitializationCriterion.Grasp(examples: 1, temperature: t);
        var raw = grasp.RawScores(model, data, seed: 0);
        // Hg by central differences of the hand-written gradient along g.
        var (g1, g2) = Gradients(W1, W2, t);
        const double eps = 1e-5;
        var (p1, p2) = Gradients(Map(W1, g1, (w, g) => w + eps * g), Map(W2, g2, (w, g) => w + eps * g), t);
        var (m1, m2) = Gradients(Map(W1, g1, (w, g) => w - eps * g), Map(W2, g2, (w, g) => w - eps * g), t);
        var hg1 = Map(p1, m1, (p, m) => (p - m) / (2 * eps));
        var hg2 = Map(p2, m2, (p, m) => (p - m) / (2 * eps));
        AssertClose(Map(W1, hg1, (w, h) => -w * h), raw[0], 1e-4);
        AssertClose(Map(W2, hg2, (w, h) => -w * h), raw[1], 1e-4);
        Assert.True(raw[1].abs().sum().item<float>() > 1e-4, "Hg is zero: the test would not tell anything");
        // As a criterion GraSP prunes the largest S first, so it ranks by -S.
        var ranked = grasp.Scores(model, data, seed: 0);
        Assert.True(ranked[0].IsSameAs(raw[0].neg()).item<bool>());
    }

    [Fact]
    public void SynFlow_scores_do_not_depend_on_the_data_and_leave_the_weights_as_they_were()
    {
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        using var a = Datasets.Synthetic(trainCount: 50, testCount: 10, seed: 1, device: CPU);
        using var b = Datasets.Synthetic(trainCount: 80, testCount: 10, noise: 2, seed: 9, device: CPU);
        var synflow = InitializationCriterion.SynFlow(rounds: 10);
        var sa = synflow.Scores(model, a, seed: 1);
        var sb = synflow.Scores(model, b, seed: 2);
        for (int i = 0; i < sa.Count; i++) Assert.True(sa[i].IsSameAs(sb[i]).item<bool>(), $"layer {i}");
        using var ma = synflow.Masks(model, a, SparsityDistribution.Global(0.9), seed: 1);
        using var mb = synflow.Masks(model, b, SparsityDistribution.Global(0.9), seed: 2);
        foreach (var name in ma.Names) Assert.True(ma[name].IsSameAs(mb[name]).item<bool>(), name);
        Assert.True(sa[0].sum().item<float>() > 0);
        foreach (var (p, p0) in model.parameters().Zip(before)) Assert.True(p.IsSameAs(p0).item<bool>());
        // Different data would change SNIP's scores: the comparison above can fail.
        var snipA = InitializationCriterion.Snip(examples: 20).Scores(model, a, seed: 1);
        var snipB = InitializationCriterion.Snip(examples: 20).Scores(model, b, seed: 1);
        Assert.False(snipA[0].IsSameAs(snipB[0]).item<bool>());
    }

    public static TheoryData<string, string> CriteriaAndDistributions()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in new[] { "snip", "grasp", "synflow" })
            foreach (var d in CatalogOptions.DistributionNames) data.Add(c, d);
        return data;
    }

    [Theory]
    [MemberData(nameof(CriteriaAndDistributions))]
    public void Every_criterion_reaches_the_target_under_every_distribution(string criterion, string distribution)
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 200, testCount: 50, seed: 2, device: CPU);
        var c = criterion switch
        {
            "snip" => InitializationCriterion.Snip(examples: 50),
            "grasp" => InitializationCriterion.Grasp(examples: 50),
            _ => InitializationCriterion.SynFlow(rounds: 5),
        };
        // LeNet-300-100's first layer holds 88% of its weights: with it dense, 10% is what the rest can give.
        double sparsity = distribution == "first-layer-dense" ? 0.1 : 0.9;
        var method = new PruningAtInitialization(c, MethodCatalog.Distribution(distribution, sparsity), seed: 1);
        var model = Zoo.LeNet300_100(seed: 1, device: CPU);
        Trainer.Train(model, data, new TrainConfig { Steps = 2, BatchSize = 20, EvaluateEvery = 0 }, method);
        Assert.Equal(sparsity, method.Masks!.Sparsity, 3);
        Assert.Equal(method.Masks.Kept, model.named_parameters().Where(p => p.name.EndsWith("weight")).Sum(p => p.parameter.count_nonzero().item<long>()));
    }
}
