using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// torchvision's bottleneck block (ResNet v1.5: the stride sits on the 3x3 convolution): 1x1, 3x3 and 1x1 convolutions
/// with batch norm, the last widening by 4, added to the shortcut (a strided 1x1 convolution with batch norm named
/// <c>downsample</c> where the shape changes), ReLU. Parameter names are torchvision's.
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    private readonly Module<Tensor, Tensor> conv1, bn1, conv2, bn2, conv3, bn3;
    private readonly Module<Tensor, Tensor>? downsample;   // 1x1 convolution (stride 1 on the subsampled input; see PointwiseStride) and batch norm
    private readonly long _stride;

    public Bottleneck(ILayerFactory layers, long inChannels, long width, long stride) : base(nameof(Bottleneck))
    {
        long outChannels = width * Expansion;
        conv1 = layers.Conv2d(inChannels, width, 1, 1, 0, bias: false);
        bn1 = BatchNorm2d(width);
        conv2 = layers.Conv2d(width, width, 3, stride, 1, bias: false);
        bn2 = BatchNorm2d(width);
        conv3 = layers.Conv2d(width, outChannels, 1, 1, 0, bias: false);
        bn3 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = Sequential(("0", layers.Conv2d(inChannels, outChannels, 1, 1, 0, bias: false)), ("1", BatchNorm2d(outChannels)));
        _stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(bn1.call(conv1.call(input)));
        x = functional.relu(bn2.call(conv2.call(x)));
        x = bn3.call(conv3.call(x));
        var shortcut = downsample is null ? input : downsample.call(PointwiseStride.Subsample(input, _stride));
        return functional.relu(x.add(shortcut, Scalars.One)).MoveToOuterDisposeScope();
    }
}
