using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Models;

public class TorchVisionInteropTests
{
    [Fact]
    public void The_zoos_resnet50_has_torchvisions_state_dict_names_and_shapes()
    {
        using var ours = Zoo.Build("resnet50", device: CPU);
        using var theirs = torchvision.models.resnet50();
        var expected = theirs.state_dict().Select(e => (e.Key, string.Join("x", e.Value.shape))).ToList();
        var actual = ours.state_dict().Select(e => (e.Key, string.Join("x", e.Value.shape))).ToList();
        Assert.Equal(320, expected.Count);   // 161 parameters (53 convolutions, 53 batch norms x 2, fc x 2) and 159 batch-norm buffers
        Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
        // A torchvision state_dict loads into the zoo's model strictly and gives the same outputs.
        ours.load_state_dict(theirs.state_dict(), strict: true);
        ours.eval(); theirs.eval();
        using var noGrad = no_grad();
        var input = randn(1, 3, 64, 64);
        Assert.True(((nn.Module<Tensor, Tensor>)ours).call(input).allclose(theirs.call(input), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Magnitude_pruning_and_a_lottery_round_work_on_torchvisions_resnet18()
    {
        using var singleThread = new SingleThread();
        using var data = RandomImages(channels: 3, size: 32, train: 8, test: 4);
        ModelFactory resnet18 = seed => { Seeding.Set(seed); return torchvision.models.resnet18(num_classes: 10); };

        var model = resnet18(1);
        using var masks = Prune.Magnitude(model, SparsityDistribution.Uniform(0.8));
        Assert.Equal(21, masks.Names.Count);   // 20 convolutions (downsample ones included) and fc; no batch norm
        Assert.DoesNotContain(masks.Names, n => n.Contains("bn") || n.EndsWith("downsample.1.weight"));
        Assert.InRange(masks.Sparsity, 0.799, 0.801);
        masks.ApplyTo(model);
        var conv = model.named_parameters().First(p => p.name == "layer3.0.conv1.weight").parameter;
        Assert.InRange(conv.eq(0).sum().item<long>() / (double)conv.numel(), 0.799, 0.801);

        var config = new TrainConfig { Steps = 2, BatchSize = 4, EvaluateEvery = 0, EvaluationBatchSize = 4, Optimizer = new Adam(1e-3) };
        var result = Lottery.Run("resnet18", resnet18, data, config, new LotteryConfig { Rounds = 1, Controls = LotteryControls.None });
        var ticket = result.Of("ticket").Single();
        Assert.Equal(1, ticket.Round);
        Assert.InRange(ticket.LayerSparsity["layer1.0.conv1.weight"], 0.19, 0.21);   // one round prunes 20% of each layer
        Assert.True(double.IsFinite(ticket.TestLoss));
    }

    private static Dataset RandomImages(int channels, int size, int train, int test)
    {
        using var generator = Seeding.Generator(5);
        return new Dataset("random images", randn([train, channels, size, size], generator: generator), randint(10, [train], generator: generator),
            randn([test, channels, size, size], generator: generator), randint(10, [test], generator: generator), classCount: 10);
    }
}
