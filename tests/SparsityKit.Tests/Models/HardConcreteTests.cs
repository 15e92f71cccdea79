using SparsityKit.Models;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Models;

public class HardConcreteTests
{
    private static readonly HardConcrete Gate = HardConcrete.Louizos;

    // P(z = 0) from the CDF of the stretched binary concrete: z = 0 when s <= t = -gamma / (zeta - gamma), and
    // P(s <= t) = sigmoid(beta logit(t) - log alpha) for s = sigmoid((L + log alpha) / beta) with L logistic.
    private static double ZeroProbabilityFromCdf(double logAlpha)
    {
        double t = 0.1 / 1.2, logitT = Math.Log(t / (1 - t));
        return 1 / (1 + Math.Exp(-(2.0 / 3 * logitT - logAlpha)));
    }

    [Theory]
    [InlineData(-2.0)]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void Samples_lie_in_0_1_with_the_analytic_probability_of_exact_zeros_and_ones(double logAlpha)
    {
        Seeding.Set(21);
        const int n = 200_000;
        var samples = Gate.Sample(full(n, (float)logAlpha));
        Assert.True(samples.ge(0).all().item<bool>() && samples.le(1).all().item<bool>());
        double zeros = samples.eq(0).sum().item<long>() / (double)n, ones = samples.eq(1).sum().item<long>() / (double)n;

        double pZero = ZeroProbabilityFromCdf(logAlpha);
        Assert.Equal(pZero, Gate.ProbabilityZero(logAlpha), 12);
        double tolerance = 4.5 * Math.Sqrt(pZero * (1 - pZero) / n);
        Assert.InRange(zeros, pZero - tolerance, pZero + tolerance);
        double pOne = Gate.ProbabilityOne(logAlpha);
        tolerance = 4.5 * Math.Sqrt(pOne * (1 - pOne) / n);
        Assert.InRange(ones, pOne - tolerance, pOne + tolerance);
        Assert.True(zeros > 0.01 && ones > 0.01);   // the gate really is hard: both ends have mass
    }

    [Fact]
    public void Expected_L0_is_the_probability_of_a_non_zero_gate_and_matches_sampling()
    {
        Seeding.Set(22);
        var logAlpha = tensor(new float[] { -3, -1, 0, 0.5f, 2, 4 });
        var p = Gate.ProbabilityNonZero(logAlpha).data<float>().ToArray();
        var fromCdf = new double[] { -3, -1, 0, 0.5, 2, 4 }.Select(a => 1 - ZeroProbabilityFromCdf(a)).ToArray();
        for (int i = 0; i < p.Length; i++) Assert.Equal(fromCdf[i], p[i], 5);
        const int n = 50_000;
        var nonZero = Gate.Sample(logAlpha.expand(n, 6)).ne(0).to(ScalarType.Float32).mean([0]).data<float>().ToArray();
        for (int i = 0; i < p.Length; i++) Assert.InRange(nonZero[i], p[i] - 0.01, p[i] + 0.01);
    }

    [Fact]
    public void Deterministic_gates_follow_the_test_time_formula()
    {
        var logAlpha = tensor(new float[] { -10, -2.5f, -2.3f, 0, 2.3f, 2.5f, 10 });
        var z = Gate.Deterministic(logAlpha).data<float>().ToArray();
        var expected = new[] { -10, -2.5, -2.3, 0, 2.3, 2.5, 10 }.Select(a => Math.Clamp(1.2 / (1 + Math.Exp(-a)) - 0.1, 0, 1)).ToArray();
        for (int i = 0; i < z.Length; i++) Assert.Equal(expected[i], z[i], 2e-6);
        Assert.Equal(0f, z[1]);            // sigmoid(-2.5) * 1.2 - 0.1 < 0: exactly zero
        Assert.True(z[2] > 0);             // sigmoid(-2.3) * 1.2 - 0.1 > 0
        Assert.Equal(1f, z[^1]);
    }

    [Theory]
    [InlineData(1e4f)]
    [InlineData(-1e4f)]
    [InlineData(60f)]
    [InlineData(-60f)]
    public void No_NaN_at_extreme_log_alpha(float value)
    {
        var logAlpha = full(1000, value, requires_grad: true);
        var loss = Gate.Sample(logAlpha).sum().add(Gate.Deterministic(logAlpha).sum()).add(Gate.ProbabilityNonZero(logAlpha).sum());
        loss.backward();
        Assert.True(loss.isfinite().item<bool>());
        Assert.True(logAlpha.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void Invalid_stretch_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardConcrete(Gamma: 0.1).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardConcrete(Zeta: 0.9).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new L0Layers(gate: new HardConcrete(Beta: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new L0Layers(initialDropRate: 1));
    }
}
