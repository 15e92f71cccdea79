using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Models;

public class VariationalDropoutLayerTests
{
    private static readonly VariationalDropoutLayers NoTrainClip = new(zeroPrunedInTraining: false);

    // -KL = k1 sigmoid(k2 + k3 log alpha) - 0.5 log(1 + 1/alpha) - k1, worked out by hand (in double precision) at each point.
    public static TheoryData<double, double> KlPoints => new()
    {
        { -8, 4.635899480334027 },
        { -2, 1.540532741238367 },
        { 0, 0.4312389509903088 },   // 0.63576 - 0.63576 * sigmoid(1.8732) + 0.5 ln 2
        { 1, 0.1779697195385873 },
        { 3, 0.025420043312364804 },
        { 8, 0.0001683693469554104 },
    };

    [Theory]
    [MemberData(nameof(KlPoints))]
    public void The_KL_approximation_matches_Molchanovs_formula_at_hand_computed_points(double logAlpha, double expected)
    {
        Assert.Equal(expected, MolchanovKl.Of(logAlpha), 12);
        using var t = tensor(new[] { (float)logAlpha });
        Assert.Equal(expected, MolchanovKl.Of(t).item<float>(), 5);
    }

    [Fact]
    public void A_layers_KL_is_the_approximation_summed_over_its_clipped_log_alphas()
    {
        var layer = new VariationalDropoutLinear(3, 2, NoTrainClip);
        // theta = 1, so log alpha = log sigma^2 (up to the 1e-8 floor); 20 and -20 are clipped to +-8.
        using (no_grad())
        {
            layer.Theta.fill_(1);
            layer.LogSigma2.copy_(tensor(new float[] { -20, -2, 0, 1, 3, 20 }).reshape(2, 3));
        }
        double expected = new double[] { -8, -2, 0, 1, 3, 8 }.Sum(MolchanovKl.Of);
        Assert.Equal(expected, layer.Kl().item<float>(), 4);
        Assert.Equal(new float[] { -8, -2, 0, 1, 3, 8 }, layer.LogAlpha().data<float>().ToArray().Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void Local_reparameterisation_output_has_mean_x_theta_and_variance_x_squared_sigma_squared()
    {
        Seeding.Set(11);
        var layer = new VariationalDropoutLinear(3, 2, NoTrainClip);
        using (no_grad())
        {
            layer.Theta.copy_(tensor(new float[] { 0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f }).reshape(2, 3));
            layer.LogSigma2.copy_(tensor(new float[] { -1, -2, 0, -3, 0.5f, -1.5f }).reshape(2, 3));
            layer.Bias!.copy_(tensor(new float[] { 0.1f, -0.2f }));
        }
        var x = tensor(new float[] { 1.0f, -2.0f, 0.5f });
        var sigma2 = layer.LogSigma2.detach().exp();
        var expectedMean = layer.Theta.detach().matmul(x).add(layer.Bias.detach());
        var expectedVariance = sigma2.matmul(x.square());
        layer.train();
        const int n = 40_000;
        using var noGrad = no_grad();
        var samples = layer.call(x.expand(n, 3));
        AssertMeanAndVariance(samples, expectedMean, expectedVariance, n);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // as notebook 07 trains: its noise is drawn another way (LayoutNoise), its output stays channels-last
    public void Local_reparameterisation_in_a_convolution_has_the_convolved_mean_and_variance(bool channelsLast)
    {
        Seeding.Set(12);
        var layer = new VariationalDropoutConv2d(3, 2, 2, stride: 1, padding: 0, NoTrainClip);
        using (no_grad()) layer.LogSigma2.copy_(rand(layer.LogSigma2.shape).mul(2).sub(4));
        var x = randn(1, 3, 3, 3);
        var expectedMean = nn.functional.conv2d(x, layer.Theta.detach(), layer.Bias!.detach()).flatten();
        var expectedVariance = nn.functional.conv2d(x.square(), layer.LogSigma2.detach().exp()).flatten();
        if (channelsLast) SparsityKit.Training.ChannelsLast.Apply(layer);
        layer.train();
        const int n = 40_000;
        using var noGrad = no_grad();
        var batch = x.expand(n, 3, 3, 3);
        if (channelsLast) batch = batch.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var output = layer.call(batch);
        Assert.Equal(channelsLast, SparsityKit.Training.ChannelsLast.Is(output) && !output.is_contiguous());
        AssertMeanAndVariance(output.reshape(n, -1), expectedMean, expectedVariance, n);
    }

    // Each output's sample mean lies within 4.5 standard errors, and its sample variance within 4.5 standard errors
    // (sqrt(2 / n) relative for a Gaussian), of the expected values.
    private static void AssertMeanAndVariance(Tensor samples, Tensor expectedMean, Tensor expectedVariance, int n)
    {
        var mean = samples.mean([0]).data<float>().ToArray();
        var variance = samples.var(0).data<float>().ToArray();
        var m = expectedMean.data<float>().ToArray();
        var v = expectedVariance.data<float>().ToArray();
        for (int i = 0; i < m.Length; i++)
        {
            double meanError = 4.5 * Math.Sqrt(v[i] / n);
            Assert.InRange(mean[i], m[i] - meanError, m[i] + meanError);
            double relative = 4.5 * Math.Sqrt(2.0 / n);
            Assert.InRange(variance[i], v[i] * (1 - relative), v[i] * (1 + relative));
        }
    }

    [Fact]
    public void Evaluation_is_deterministic_and_zeroes_exactly_the_weights_at_or_above_the_threshold()
    {
        Seeding.Set(3);
        var layer = new VariationalDropoutLinear(50, 40, new VariationalDropoutLayers(threshold: 3));
        using (no_grad()) layer.LogSigma2.copy_(randn(40, 50).mul(4));
        var logAlpha = layer.LogAlpha().detach();
        var keep = logAlpha.lt(3);
        long pruned = logAlpha.ge(3).sum().item<long>();
        Assert.InRange(pruned, 200, 1800);   // the test means something: some but not all weights pruned

        layer.eval();
        var x = randn(7, 50);
        var first = layer.call(x);
        Assert.True(first.allclose(layer.call(x), 0, 0));
        Assert.True(first.allclose(nn.functional.linear(x, layer.Theta.detach().mul(keep), layer.Bias!.detach()), 1e-5, 1e-6));
        // The effective weights, read back through the layer itself, are zero exactly where the mask says.
        var effective = EffectiveWeights(layer, 50);
        Assert.Equal(pruned, effective.eq(0).sum().item<long>());
        Assert.Equal(pruned, layer.Mask().eq(0).sum().item<long>());
        Assert.True(layer.Mask().eq(keep.to(ScalarType.Float32)).all().item<bool>());
    }

    /// <summary>The weight matrix a linear layer applies in evaluation, recovered from its outputs on the unit vectors.</summary>
    internal static Tensor EffectiveWeights(nn.Module<Tensor, Tensor> layer, long inFeatures)
    {
        using var noGrad = no_grad();
        return layer.call(eye(inFeatures)).sub(layer.call(zeros(1, inFeatures))).t();
    }

    [Fact]
    public void Gradients_reach_theta_log_sigma2_and_bias()
    {
        Seeding.Set(4);
        var model = Zoo.LeNet300_100(seed: 4, layers: new VariationalDropoutLayers(), device: CPU);
        model.train();
        var logits = model.call(randn(8, 1, 28, 28));
        var loss = nn.functional.cross_entropy(logits, randint(10, [8])).add(VariationalDropout.KlOf(model).div(1000));
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(p.grad.abs().sum().item<float>() > 0, $"{name} has no gradient");
        }
        Assert.Contains(model.named_parameters(), p => p.name == "fc1.log_sigma2");
    }

    public static TheoryData<float, float> ExtremeSettings => new()
    {
        { 0f, -10f }, { 0f, 10_000f }, { 1e-30f, 0f }, { 1e3f, -10_000f }, { 1e3f, 60f }, { -1e-20f, 1e4f }, { 1f, -1e4f },
    };

    [Theory]
    [MemberData(nameof(ExtremeSettings))]
    public void No_NaN_or_infinity_at_extreme_log_alpha(float theta, float logSigma2)
    {
        Seeding.Set(5);
        foreach (var layer in new VariationalDropoutLayer[] { new VariationalDropoutLinear(6, 4, NoTrainClip), new VariationalDropoutConv2d(1, 2, 3, 1, 1, NoTrainClip) })
        {
            using (no_grad())
            {
                layer.Theta.fill_(theta);
                layer.LogSigma2.fill_(logSigma2);
            }
            var input = layer is VariationalDropoutLinear ? randn(5, 6) : randn(5, 1, 4, 4);
            layer.train();
            var output = layer.call(input);
            var loss = output.square().mean().add(layer.Kl());
            loss.backward();
            Assert.True(loss.isfinite().item<bool>(), $"loss {loss.item<float>()} at theta {theta}, log sigma^2 {logSigma2}");
            Assert.True(layer.Theta.grad!.isfinite().all().item<bool>());
            Assert.True(layer.LogSigma2.grad!.isfinite().all().item<bool>());
            var logAlpha = layer.LogAlpha();
            Assert.True(logAlpha.ge(-8).all().item<bool>() && logAlpha.le(8).all().item<bool>());
            layer.eval();
            Assert.True(layer.call(input).isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void The_zoo_builds_LeNets_with_variational_dropout_layers_and_pruning_sees_theta()
    {
        var model = Zoo.LeNet300_100(seed: 1, layers: new VariationalDropoutLayers(), device: CPU);
        Assert.Equal(new[] { "fc1.theta", "fc2.theta", "fc3.theta" }, Prunable.Default.Select(model).Select(p => p.Name));
        Assert.Equal(266_200, model.named_parameters().Where(p => p.name.EndsWith("log_sigma2")).Sum(p => p.parameter.numel()));
        Assert.Equal(-10f, model.named_parameters().First(p => p.name == "fc2.log_sigma2").parameter.mean().item<float>());
        // theta starts like a dense layer's weight (Glorot normal).
        var theta = model.named_parameters().First(p => p.name == "fc1.theta").parameter;
        Assert.InRange(theta.std().item<float>(), Math.Sqrt(2.0 / 1084) * 0.98, Math.Sqrt(2.0 / 1084) * 1.02);

        var lenet5 = Zoo.LeNet5(seed: 1, layers: new VariationalDropoutLayers(), device: CPU);
        Assert.Equal(new long[] { 3, 10 }, lenet5.call(zeros(3, 1, 28, 28)).shape);
        lenet5.eval();
        Assert.Equal(new long[] { 3, 10 }, lenet5.call(zeros(3, 1, 28, 28)).shape);
    }

    [Fact]
    public void Dense_weights_can_seed_a_variational_dropout_model()
    {
        var dense = Zoo.LeNet300_100(seed: 2, device: CPU);
        var model = Zoo.LeNet300_100(seed: 3, layers: new VariationalDropoutLayers(), device: CPU);
        VariationalDropoutLayers.CopyDenseWeights(model, dense, logSigma2: -12);
        var d = dense.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.EndsWith("log_sigma2")) Assert.Equal(-12f, p.max().item<float>());
            else Assert.True(p.allclose(d[name.Replace("theta", "weight")], 0, 0), name);
        }
        var e = Assert.Throws<ArgumentException>(() => VariationalDropoutLayers.CopyDenseWeights(dense, model));
        Assert.Contains("new VariationalDropoutLayers()", e.Message);
    }
}
