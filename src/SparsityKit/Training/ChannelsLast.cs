using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// Lays a model's four-dimensional weights (convolution kernels) out channels-last: the same shapes and values, stored
/// in NHWC order, as PyTorch's <c>model.to(memory_format=torch.channels_last)</c>. A convolution with a channels-last
/// weight returns a channels-last output, so oneDNN convolutions, batch norm and ReLU all run in NHWC and libtorch no
/// longer reorders every activation between layouts around each convolution (half of oneDNN's time in ResNet-20 here).
/// TorchSharp 0.107 has no memory-format argument; permuting to NHWC, copying and permuting back gives the same strides.
/// </summary>
public static class ChannelsLast
{
    /// <summary>Relays every 4-D parameter of <paramref name="model"/> in place (the same Parameter objects, so optimizers and masks that hold them stay valid).</summary>
    public static void Apply(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var parameter in model.parameters())
            if (parameter.dim() == 4 && !Is(parameter))
                parameter.set_(parameter.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2));
    }

    /// <summary>Whether a 4-D tensor's strides are those of channels-last (NHWC) storage of its shape.</summary>
    public static bool Is(Tensor tensor)
    {
        if (tensor.dim() != 4) return false;
        long[] shape = tensor.shape, strides = tensor.stride();
        long channels = shape[1], width = shape[3], height = shape[2];
        // Dimensions of size 1 may have any stride, as in libtorch's own check.
        return (channels == 1 || strides[1] == 1) && (width == 1 || strides[3] == channels) &&
               (height == 1 || strides[2] == channels * width) && (shape[0] == 1 || strides[0] == channels * width * height);
    }
}
