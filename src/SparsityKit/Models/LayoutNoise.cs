using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// Gaussian noise shaped and laid out like a given tensor, drawn fast. libtorch fills a contiguous tensor with its
/// vectorised normal generator but a channels-last one (a convolution's output in channels-last training) element by
/// element, 7-10x slower here: ResNet-20 with variational dropout spent most of its forward pass drawing noise. A
/// channels-last tensor's noise is drawn contiguous in NHWC order and viewed as NCHW, the same layout as the tensor. Any
/// other tensor's noise is libtorch's <c>randn_like</c>, as before. (Uniform noise has no such slow path: rand_like stays.)
/// </summary>
public static class LayoutNoise
{
    /// <summary>Standard normal noise like <paramref name="like"/> (its shape, dtype, device and memory layout).</summary>
    public static Tensor NormalLike(Tensor like) =>
        IsChannelsLastOnly(like) ? randn(Nhwc(like), dtype: like.dtype, device: like.device).permute(0, 3, 1, 2) : randn_like(like);

    // Channels-last and not also contiguous (a tensor with one channel, or 1x1 spatial, is both: randn_like is fast there).
    private static bool IsChannelsLastOnly(Tensor t) => !t.is_contiguous() && ChannelsLast.Is(t);

    private static long[] Nhwc(Tensor t) => [t.shape[0], t.shape[2], t.shape[3], t.shape[1]];
}
