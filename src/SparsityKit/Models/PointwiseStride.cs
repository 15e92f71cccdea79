using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// A strided 1x1 convolution computed as a subsampling followed by the same convolution with stride 1: the same result,
/// and the same parameters (stride is no parameter, so state_dicts stay torchvision's). Why: libtorch 2.10's oneDNN
/// (TorchSharp 0.107, CPU) dies with SIGFPE (integer division by zero in brgemm_convolution_bwd_utils::est_eff_1x1) in
/// the backward pass of a stride-2 1x1 convolution with 1,024 or more output channels on this AMD EPYC (AVX-512), which is
/// every ResNet-50 shortcut from layer3 on; stride-1 1x1 convolutions are not affected.
/// </summary>
internal static class PointwiseStride
{
    /// <summary>Every <paramref name="stride"/>-th row and column of [N, C, H, W] (what a stride-s 1x1 convolution reads).</summary>
    public static Tensor Subsample(Tensor input, long stride) =>
        stride == 1 ? input.alias() : input.slice(2, 0, input.shape[2], stride).slice(3, 0, input.shape[3], stride);
}
