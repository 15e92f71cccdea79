using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>A 2-D convolution with square kernels and a hard-concrete gate on every kernel weight.</summary>
public sealed class L0Conv2d : L0Layer
{
    public L0Conv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, L0Layers settings, bool bias = true)
        : base(nameof(L0Conv2d), [outChannels, inChannels, kernelSize, kernelSize], hasBias: bias, settings)
    {
        Stride = stride;
        Padding = padding;
    }

    public long Stride { get; }
    public long Padding { get; }

    protected override Tensor Apply(Tensor input, Tensor weight, Tensor? bias) =>
        nn.functional.conv2d(input, weight, bias, strides: [Stride, Stride], padding: [Padding, Padding]);
}
