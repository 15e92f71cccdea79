using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Models;

public class L0LayerTests
{
    [Fact]
    public void Log_alpha_starts_from_the_initial_drop_rate()
    {
        Seeding.Set(1);
        var layer = new L0Linear(100, 50, new L0Layers(initialDropRate: 0.2));
        Assert.Equal(Math.Log(0.8 / 0.2), layer.LogAlpha.mean().item<float>(), 2);
        Assert.InRange(layer.LogAlpha.std().item<float>(), 0.009, 0.011);
        var exact = new L0Linear(4, 3, new L0Layers(initialLogAlphaNoise: 0));
        Assert.Equal(0f, exact.LogAlpha.abs().max().item<float>());
    }

    [Fact]
    public void Evaluation_uses_the_deterministic_gates_and_prunes_exactly_the_zero_gates()
    {
        Seeding.Set(2);
        var layer = new L0Linear(30, 20, new L0Layers());
        using (no_grad()) layer.LogAlpha.copy_(randn(20, 30).mul(3));
        var gates = HardConcrete.Louizos.Deterministic(layer.LogAlpha.detach());
        long pruned = gates.eq(0).sum().item<long>();
        Assert.InRange(pruned, 50, 550);
        layer.eval();
        var x = randn(5, 30);
        Assert.True(layer.call(x).allclose(nn.functional.linear(x, layer.Weight.detach().mul(gates), layer.Bias!.detach()), 1e-5, 1e-6));
        Assert.Equal(pruned, VariationalDropoutLayerTests.EffectiveWeights(layer, 30).eq(0).sum().item<long>());
        Assert.Equal(pruned, layer.Mask().eq(0).sum().item<long>());
    }

    [Fact]
    public void Training_samples_new_gates_each_pass()
    {
        Seeding.Set(3);
        var layer = new L0Linear(30, 20, new L0Layers());
        layer.train();
        var x = randn(5, 30);
        Assert.False(layer.call(x).allclose(layer.call(x)));
    }

    [Fact]
    public void Gradients_reach_weights_gate_parameters_and_biases()
    {
        var model = Zoo.LeNet300_100(seed: 4, layers: new L0Layers(), device: CPU);
        model.train();
        var loss = nn.functional.cross_entropy(model.call(randn(8, 1, 28, 28)), randint(10, [8])).add(L0Regularization.ExpectedL0Of(model).div(1000));
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(p.grad.abs().sum().item<float>() > 0, $"{name} has no gradient");
        }
        Assert.Equal(new[] { "fc1.weight", "fc2.weight", "fc3.weight" }, Prunable.Default.Select(model).Select(p => p.Name));
    }

    [Theory]
    [InlineData(1e4f)]
    [InlineData(-1e4f)]
    public void No_NaN_or_infinity_at_extreme_log_alpha(float value)
    {
        foreach (var layer in new L0Layer[] { new L0Linear(6, 4, new L0Layers()), new L0Conv2d(1, 2, 3, 1, 1, new L0Layers()) })
        {
            using (no_grad()) layer.LogAlpha.fill_(value);
            var input = layer is L0Linear ? randn(5, 6) : randn(5, 1, 4, 4);
            layer.train();
            var loss = layer.call(input).square().mean().add(layer.ExpectedL0());
            loss.backward();
            Assert.True(loss.isfinite().item<bool>());
            Assert.True(layer.LogAlpha.grad!.isfinite().all().item<bool>() && layer.Weight.grad!.isfinite().all().item<bool>());
            layer.eval();
            Assert.True(layer.call(input).isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void The_zoo_builds_LeNet5_with_L0_layers()
    {
        var model = Zoo.LeNet5(seed: 1, layers: new L0Layers(), device: CPU);
        Assert.Equal(new long[] { 2, 10 }, model.call(zeros(2, 1, 28, 28)).shape);
        Assert.Equal(430_500, model.named_parameters().Where(p => p.name.EndsWith("log_alpha")).Sum(p => p.parameter.numel()));
    }
}
