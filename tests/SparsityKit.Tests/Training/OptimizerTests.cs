using SparsityKit;
using SparsityKit.Training;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;

namespace SparsityKit.Tests.Training;

public class OptimizerTests
{
    // One parameter w with loss = sum(w * c): the gradient is c, whatever w is.
    private static (Parameter W, Optimizer Optimizer) Setup(OptimizerSettings settings, float[] w)
    {
        var p = new Parameter(torch.tensor(w));
        return (p, settings.Create([("w", p)]));
    }

    private static void Step(Parameter w, Optimizer optimizer, float[] gradient)
    {
        optimizer.ZeroGrad();
        (w * torch.tensor(gradient)).sum().backward();
        optimizer.Step();
    }

    [Fact]
    public void Sgd_momentum_follows_the_hand_computed_trajectory()
    {
        var (w, opt) = Setup(new Sgd(0.1, Momentum: 0.9), [1f]);
        Step(w, opt, [2f]);   // buffer 2,   w = 1 - 0.2 = 0.8
        Step(w, opt, [2f]);   // buffer 3.8, w = 0.8 - 0.38 = 0.42
        Assert.Equal(0.42f, w.item<float>(), 5);
    }

    [Fact]
    public void Sgd_nesterov_and_weight_decay_follow_pytorch_rule()
    {
        var (w, opt) = Setup(new Sgd(0.1, Momentum: 0.5, Nesterov: true, WeightDecay: 0.1), [1f]);
        Step(w, opt, [1f]);   // d = 1 + 0.1*1 = 1.1; buffer 1.1; step d + 0.5*1.1 = 1.65; w = 1 - 0.165
        Assert.Equal(0.835f, w.item<float>(), 5);
    }

    [Fact]
    public void Adam_first_step_moves_each_weight_by_the_learning_rate_against_its_gradient()
    {
        var (w, opt) = Setup(new Adam(0.01), [1f, 1f, 1f]);
        Step(w, opt, [3f, -0.5f, 0.001f]);
        var values = w.data<float>().ToArray();
        Assert.Equal(0.99f, values[0], 4);
        Assert.Equal(1.01f, values[1], 4);
        Assert.Equal(0.99f, values[2], 3);
    }

    [Fact]
    public void Masked_state_stays_zero_for_masked_weights()
    {
        var (w, opt) = Setup(new Adam(0.01), [1f, 1f]);
        Step(w, opt, [1f, 1f]);
        opt.MaskState("w", torch.tensor(new[] { 0f, 1f }));
        using (torch.no_grad()) w.mul_(torch.tensor(new[] { 0f, 1f }));
        Step(w, opt, [0f, 1f]);   // a zero gradient and zeroed moments leave the pruned weight at exactly 0
        Assert.Equal(0f, w.data<float>()[0]);
        Assert.Throws<ArgumentException>(() => opt.MaskState("nope", torch.ones(2)));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void A_masked_parameter_has_its_gradient_masked_before_the_update_and_its_weights_after(string kind)
    {
        OptimizerSettings settings = kind == "sgd" ? new Sgd(0.1, Momentum: 0.9) : new Adam(0.1);
        var (w, opt) = Setup(settings, [1f, 1f, 1f]);
        Step(w, opt, [1f, 1f, 1f]);
        using var mask = torch.tensor(new[] { 0f, 1f, 1f });
        opt.SetMask("w", mask);
        Assert.All(opt.StateOf("w"), state => Assert.Equal(0f, state.data<float>()[0]));
        using (torch.no_grad()) w[0] = torch.tensor(5f);   // something outside the optimizer moved a pruned weight
        Step(w, opt, [1f, 1f, 1f]);
        Assert.Equal(0f, w.data<float>()[0]);               // the mask was re-applied after the update
        Assert.All(opt.StateOf("w"), state => Assert.Equal(0f, state.data<float>()[0]));   // its gradient never reached the state
        Assert.True(w.data<float>()[1] < 0.85f);            // kept weights still train

        opt.ClearMasks();
        Step(w, opt, [1f, 1f, 1f]);
        Assert.NotEqual(0f, w.data<float>()[0]);
        Assert.Throws<ArgumentException>(() => opt.SetMask("nope", mask));
    }

    [Theory]
    [InlineData(0.0, false, 1003)]
    [InlineData(0.01, true, 1003)]
    [InlineData(0.0, true, 600_001)]
    public void Adam_fused_cpu_kernel_matches_the_libtorch_ops(double weightDecay, bool masked, int size)
    {
        // Both round differently (libtorch fuses some multiply-adds), by about 1e-6 after 50 steps of 0.01.
        // An odd size exercises the kernel's vector loop and its scalar tail; 600,001 weights, its split into chunks.
        var settings = new Adam(0.01, WeightDecay: weightDecay);
        var start = torch.randn(size, generator: Seeding.Generator(1));
        var fused = new Parameter(start.clone());
        var ops = new Parameter(start.clone());
        var fusedOptimizer = (AdamOptimizer)settings.Create([("w", fused)]);
        var opsOptimizer = (AdamOptimizer)settings.Create([("w", ops)]);
        opsOptimizer.UseFusedKernel = false;
        using var mask = (torch.rand(size, generator: Seeding.Generator(2)) > 0.5).to_type(torch.ScalarType.Float32);
        if (masked) { fusedOptimizer.SetMask("w", mask); opsOptimizer.SetMask("w", mask); }
        var gen = Seeding.Generator(3);
        for (int step = 0; step < 50; step++)
        {
            var gradient = torch.randn(size, generator: gen).data<float>().ToArray();
            Step(fused, fusedOptimizer, gradient);
            Step(ops, opsOptimizer, gradient);
        }
        Assert.True(fused.allclose(ops, rtol: 1e-5, atol: 1e-5), $"max difference {(fused - ops).abs().max().item<float>()}");
        foreach (var (a, b) in fusedOptimizer.StateOf("w").Zip(opsOptimizer.StateOf("w")))
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-5), $"state max difference {(a - b).abs().max().item<float>()} of {b.abs().max().item<float>()}");
        Assert.False(fused.allclose(start), "the weights moved");
        if (masked) Assert.Equal(0f, (fused * (1 - mask)).abs().max().item<float>());
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    public void Invalid_learning_rate_is_rejected(double rate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Setup(new Adam(rate), [1f]));
        Assert.Contains("learning rate", e.Message);
    }
}
