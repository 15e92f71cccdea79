using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// The wide ResNet's block (He et al.'s pre-activation order): batch norm, ReLU, 3x3 convolution, batch norm, ReLU,
/// 3x3 convolution, added to the shortcut. Where the shape changes, the shortcut is a strided 1x1 convolution of the
/// pre-activated input.
/// </summary>
public sealed class PreActivationBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> bn1, conv1, bn2, conv2;
    private readonly Module<Tensor, Tensor>? shortcut;   // stride 1 on the subsampled input; see PointwiseStride
    private readonly long _stride;

    public PreActivationBlock(ILayerFactory layers, long inChannels, long outChannels, long stride) : base(nameof(PreActivationBlock))
    {
        bn1 = BatchNorm2d(inChannels);
        conv1 = layers.Conv2d(inChannels, outChannels, 3, stride, 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        conv2 = layers.Conv2d(outChannels, outChannels, 3, 1, 1, bias: false);
        if (stride != 1 || inChannels != outChannels)
            shortcut = layers.Conv2d(inChannels, outChannels, 1, 1, 0, bias: false);
        _stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var activated = functional.relu(bn1.call(input));
        var x = conv1.call(activated);
        x = conv2.call(functional.relu(bn2.call(x)));
        var identity = shortcut is null ? input : shortcut.call(PointwiseStride.Subsample(activated, _stride));
        return x.add(identity, Scalars.One).MoveToOuterDisposeScope();
    }
}
