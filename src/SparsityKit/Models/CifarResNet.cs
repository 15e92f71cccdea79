using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// He et al.'s CIFAR ResNets (Deep Residual Learning, 2016, section 4.2): a 3x3 convolution with 16 filters, three
/// stages of n basic blocks with 16, 32 and 64 filters (the second and third start with stride 2), global average
/// pooling and one fully connected layer; depth 6n + 2. ResNet-20 has 270,896 weights (Frankle and Carbin call it
/// "ResNet-18" and give 274K), ResNet-32 464,432 and ResNet-56 851,504 with 1x1 projection shortcuts.
/// </summary>
public sealed class CifarResNet : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv, bn, layer1, layer2, layer3, fc;

    /// <param name="depth">20, 32, 44, 56, 110, ...: 6n + 2.</param>
    public CifarResNet(ILayerFactory layers, int depth, long inputChannels = 3, long classes = 10) : base($"ResNet-{depth}")
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110).");
        int blocks = (depth - 2) / 6;
        conv = layers.Conv2d(inputChannels, 16, 3, 1, 1, bias: false);
        bn = BatchNorm2d(16);
        layer1 = Stage(layers, 16, 16, blocks, stride: 1);
        layer2 = Stage(layers, 16, 32, blocks, stride: 2);
        layer3 = Stage(layers, 32, 64, blocks, stride: 2);
        fc = layers.Linear(64, classes);
        RegisterComponents();
    }

    private static Module<Tensor, Tensor> Stage(ILayerFactory layers, long inChannels, long outChannels, int blocks, long stride) =>
        Sequential(Enumerable.Range(0, blocks).Select(b =>
            ($"{b}", (Module<Tensor, Tensor>)new ResidualBlock(layers, b == 0 ? inChannels : outChannels, outChannels, b == 0 ? stride : 1))));

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(bn.call(conv.call(input)));
        x = layer3.call(layer2.call(layer1.call(x)));
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return fc.call(x).MoveToOuterDisposeScope();
    }
}
