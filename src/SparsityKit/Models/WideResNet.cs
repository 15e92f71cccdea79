using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// Zagoruyko and Komodakis's wide residual network WRN-d-k (Wide Residual Networks, 2016) for CIFAR, the model RigL
/// (Evci et al. 2020) trains as WRN-22-2: a 3x3 convolution with 16 filters, three stages of (d - 4) / 6 pre-activation
/// blocks with 16k, 32k and 64k filters, batch norm, ReLU, global average pooling, one fully connected layer.
/// WRN-22-2 has 1,076,912 weights on 3x32x32 inputs.
/// </summary>
public sealed class WideResNet : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv, layer1, layer2, layer3, bn, fc;

    public WideResNet(ILayerFactory layers, int depth = 22, int widen = 2, long inputChannels = 3, long classes = 10) : base($"WRN-{depth}-{widen}")
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A wide ResNet has depth 6n + 4 (16, 22, 28, 40).");
        if (widen < 1) throw new ArgumentOutOfRangeException(nameof(widen), widen, "The widening factor must be at least 1.");
        int blocks = (depth - 4) / 6;
        conv = layers.Conv2d(inputChannels, 16, 3, 1, 1, bias: false);
        layer1 = Stage(layers, 16, 16 * widen, blocks, stride: 1);
        layer2 = Stage(layers, 16 * widen, 32 * widen, blocks, stride: 2);
        layer3 = Stage(layers, 32 * widen, 64 * widen, blocks, stride: 2);
        bn = BatchNorm2d(64 * widen);
        fc = layers.Linear(64 * widen, classes);
        RegisterComponents();
    }

    private static Module<Tensor, Tensor> Stage(ILayerFactory layers, long inChannels, long outChannels, int blocks, long stride) =>
        Sequential(Enumerable.Range(0, blocks).Select(b =>
            ($"{b}", (Module<Tensor, Tensor>)new PreActivationBlock(layers, b == 0 ? inChannels : outChannels, outChannels, b == 0 ? stride : 1))));

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = layer3.call(layer2.call(layer1.call(conv.call(input))));
        x = functional.relu(bn.call(x));
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return fc.call(x).MoveToOuterDisposeScope();
    }
}
