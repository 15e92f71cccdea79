using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>Max pooling with a square window and stride equal to it (rows and columns beyond a whole window are dropped).</summary>
public sealed class MaxPool2dLayer(string name, long[] inputShape, long kernel)
    : InferenceLayer(name, inputShape, [inputShape[0], inputShape[1] / kernel, inputShape[2] / kernel])
{
    public long Kernel { get; } = kernel;

    public override Tensor ForwardBatchMajor(Tensor x) => nn.functional.max_pool2d(x, Kernel);

    internal override bool RunsWithoutLibtorch(long batch) => true;

    internal override unsafe void ForwardSmall(float* x, float* y, long batch, int threads)
    {
        long c = OutputShape[0], h = OutputShape[1], w = OutputShape[2], height = InputShape[1], width = InputShape[2];
        for (long ch = 0; ch < c; ch++)
            for (long i = 0; i < h; i++)
                for (long j = 0; j < w; j++)
                    for (long b = 0; b < batch; b++)
                    {
                        float m = float.NegativeInfinity;
                        for (long di = 0; di < Kernel; di++)
                            for (long dj = 0; dj < Kernel; dj++)
                                m = Math.Max(m, x[((ch * height + i * Kernel + di) * width + j * Kernel + dj) * batch + b]);
                        y[((ch * h + i) * w + j) * batch + b] = m;
                    }
    }

    public override Tensor ForwardPanels(Tensor x, PanelLayout layout, int threads)
    {
        using var scope = NewDisposeScope();
        long c = OutputShape[0], h = OutputShape[1], w = OutputShape[2];
        var whole = x.view([layout.Panels, .. InputShape, layout.Width]).narrow(2, 0, h * Kernel).narrow(3, 0, w * Kernel);
        return whole.reshape(layout.Panels, c, h, Kernel, w, Kernel, layout.Width).amax([3, 5]).contiguous().MoveToOuterDisposeScope();
    }
}
