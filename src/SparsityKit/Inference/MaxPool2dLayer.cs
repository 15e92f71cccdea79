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

    // Each output row of a panel is the element-wise maximum of the window's input rows (contiguous examples).
    public override unsafe Tensor ForwardPanels(Tensor x, PanelLayout layout, int threads)
    {
        long c = OutputShape[0], h = OutputShape[1], w = OutputShape[2], height = InputShape[1], width = InputShape[2], n = layout.Width;
        var y = empty([layout.Panels, .. OutputShape, n]);
        float* input = SparseKernel.Pointer(x), output = SparseKernel.Pointer(y);
        for (long p = 0; p < layout.Panels; p++)
        {
            float* from = input + p * InputFeatures * n, to = output + p * OutputFeatures * n;
            for (long ch = 0; ch < c; ch++)
                for (long i = 0; i < h; i++)
                    for (long j = 0; j < w; j++)
                    {
                        float* target = to + ((ch * h + i) * w + j) * n;
                        for (long di = 0; di < Kernel; di++)
                            for (long dj = 0; dj < Kernel; dj++)
                            {
                                float* row = from + ((ch * height + i * Kernel + di) * width + j * Kernel + dj) * n;
                                if (di == 0 && dj == 0) Buffer.MemoryCopy(row, target, n * sizeof(float), n * sizeof(float));
                                else SparseKernel.MaxInto(target, row, n);
                            }
                    }
        }
        return y;
    }
}
