using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// Lays a model's four-dimensional weights (convolution kernels) out channels-last: the same shapes and values, stored
/// in NHWC order with the strides PyTorch's <c>model.to(memory_format=torch.channels_last)</c> gives. A convolution with
/// a channels-last weight returns a channels-last output, so oneDNN convolutions, batch norm and ReLU all run in NHWC and
/// libtorch no longer reorders every activation between layouts around each convolution (half of oneDNN's time in
/// ResNet-20 here). TorchSharp 0.107 has no memory-format argument, so the kernels are copied into NHWC storage.
/// </summary>
public static class ChannelsLast
{
    /// <summary>
    /// Relays every 4-D parameter of <paramref name="model"/> in place (the same Parameter objects, so optimizers and masks
    /// that hold them stay valid). <paramref name="leaveAmbiguousKernels"/> reproduces the layout of runs stored before
    /// 2026-12-08 (<see cref="TrainConfig.ChannelsLastLeavesAmbiguousKernels"/>): kernels whose NCHW strides also read as
    /// NHWC once dimensions of size 1 are ignored (one input channel, or 1x1) stayed NCHW.
    /// </summary>
    public static void Apply(nn.Module model, bool leaveAmbiguousKernels = false)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var parameter in model.parameters())
        {
            if (parameter.dim() != 4 || Is(parameter) || (leaveAmbiguousKernels && IsIgnoringUnitDimensions(parameter))) continue;
            // Not permute-contiguous-permute: libtorch calls a kernel of one input channel contiguous already and would
            // keep its NCHW strides, which libtorch's convolutions then read as NCHW (a grey image's first layer).
            var relaid = empty(parameter.numel(), dtype: parameter.dtype, device: parameter.device).as_strided(parameter.shape, Strides(parameter.shape));
            relaid.copy_(parameter);
            parameter.set_(relaid);
        }
    }

    /// <summary>
    /// Whether a 4-D tensor has the strides of channels-last (NHWC) storage of its shape, exactly as libtorch lays it out
    /// (a dimension of size 1 too): what libtorch's own layout check needs to choose channels-last kernels.
    /// </summary>
    public static bool Is(Tensor tensor) => tensor.dim() == 4 && tensor.stride().SequenceEqual(Strides(tensor.shape));

    // NHWC strides of an NCHW shape: channels vary fastest, then width, height and batch.
    private static long[] Strides(long[] shape) => [shape[1] * shape[2] * shape[3], 1, shape[3] * shape[1], shape[1]];

    // The check before 2026-12-08: a dimension of size 1 may have any stride, so NCHW kernels of one input channel or of
    // 1x1 passed as channels-last and were left as they were.
    private static bool IsIgnoringUnitDimensions(Tensor tensor)
    {
        long[] shape = tensor.shape, strides = tensor.stride();
        long channels = shape[1], width = shape[3], height = shape[2];
        return (channels == 1 || strides[1] == 1) && (width == 1 || strides[3] == channels) &&
               (height == 1 || strides[2] == channels * width) && (shape[0] == 1 || strides[0] == channels * width * height);
    }
}
