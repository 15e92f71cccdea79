using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>ReLU on its own (one that follows a weight layer is fused into that layer instead).</summary>
public sealed class ReluLayer(string name, long[] shape) : InferenceLayer(name, shape, shape)
{
    public override Tensor ForwardBatchMajor(Tensor x) => nn.functional.relu(x);

    internal override bool RunsWithoutLibtorch(long batch) => true;

    internal override unsafe void ForwardSmall(float* x, float* y, long batch, int threads)
    {
        for (long i = 0, n = InputFeatures * batch; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0f;
    }

    public override Tensor ForwardPanels(Tensor x, PanelLayout layout, int threads) => nn.functional.relu(x);
}
