using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>A 2-D convolution with square kernels and sparse variational dropout on every kernel weight.</summary>
public sealed class VariationalDropoutConv2d : VariationalDropoutLayer
{
    public VariationalDropoutConv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, VariationalDropoutLayers settings, bool bias = true)
        : base(nameof(VariationalDropoutConv2d), [outChannels, inChannels, kernelSize, kernelSize], hasBias: bias, settings)
    {
        Stride = stride;
        Padding = padding;
    }

    public long Stride { get; }
    public long Padding { get; }

    protected override Tensor Apply(Tensor input, Tensor weight, Tensor? bias) =>
        nn.functional.conv2d(input, weight, bias, strides: [Stride, Stride], padding: [Padding, Padding]);
}
