using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>ReLU on its own (one that follows a weight layer is fused into that layer instead).</summary>
public sealed class ReluLayer(string name, long[] shape) : InferenceLayer(name, shape, shape)
{
    public override Tensor ForwardBatchMajor(Tensor x) => nn.functional.relu(x);

    public override Tensor ForwardFeatureMajor(Tensor x, long batch, long ld, int threads) => nn.functional.relu(x);
}
