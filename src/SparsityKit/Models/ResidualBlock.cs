using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// He et al.'s basic residual block: 3x3 convolution, batch norm, ReLU, 3x3 convolution, batch norm, added to the
/// shortcut, ReLU. Where the shape changes, the shortcut is a strided 1x1 convolution with batch norm (open_lth's CIFAR
/// ResNets; He et al.'s option B), named <c>downsample</c> as in torchvision.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1, bn1, conv2, bn2;
    private readonly Module<Tensor, Tensor>? downsample;   // 1x1 convolution (stride 1 on the subsampled input; see PointwiseStride) and batch norm
    private readonly long _stride;

    public ResidualBlock(ILayerFactory layers, long inChannels, long outChannels, long stride) : base(nameof(ResidualBlock))
    {
        conv1 = layers.Conv2d(inChannels, outChannels, 3, stride, 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = layers.Conv2d(outChannels, outChannels, 3, 1, 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = Sequential(("0", layers.Conv2d(inChannels, outChannels, 1, 1, 0, bias: false)), ("1", BatchNorm2d(outChannels)));
        _stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        var shortcut = downsample is null ? input : downsample.call(PointwiseStride.Subsample(input, _stride));
        return functional.relu(x.add(shortcut, Scalars.One)).MoveToOuterDisposeScope();
    }
}
