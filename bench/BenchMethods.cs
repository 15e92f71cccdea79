using SparsityKit.Methods;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;

/// <summary>The training methods the benchmark times.</summary>
static class BenchMethods
{
    /// <summary>Null (dense training) for sparsity 0; otherwise a fixed random mask of that sparsity on every weight matrix, like the peer's.</summary>
    public static TrainingMethod? RandomMask(torch.nn.Module<torch.Tensor, torch.Tensor> model, double sparsity) =>
        sparsity == 0 ? null : new FixedMask(Prune.Random(model, SparsityDistribution.Uniform(sparsity), seed: 0), name: "random mask");
}
