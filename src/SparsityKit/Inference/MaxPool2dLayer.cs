using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>Max pooling with a square window and stride equal to it (rows and columns beyond a whole window are dropped).</summary>
public sealed class MaxPool2dLayer(string name, long[] inputShape, long kernel)
    : InferenceLayer(name, inputShape, [inputShape[0], inputShape[1] / kernel, inputShape[2] / kernel])
{
    public long Kernel { get; } = kernel;

    public override Tensor ForwardBatchMajor(Tensor x) => nn.functional.max_pool2d(x, Kernel);

    public override Tensor ForwardFeatureMajor(Tensor x, long batch, long ld, int threads)
    {
        using var scope = NewDisposeScope();
        long c = OutputShape[0], h = OutputShape[1], w = OutputShape[2];
        var whole = x.view([.. InputShape, ld]).narrow(1, 0, h * Kernel).narrow(2, 0, w * Kernel);
        return whole.reshape(c, h, Kernel, w, Kernel, ld).amax([2, 4]).contiguous().MoveToOuterDisposeScope();
    }
}
