using SparsityKit.Training;
using TorchSharp;

/// <summary>The training methods the benchmark times.</summary>
static class BenchMethods
{
    /// <summary>Null (dense training) for sparsity 0; otherwise a fixed random mask on every weight matrix.</summary>
    public static TrainingMethod? RandomMask(torch.nn.Module<torch.Tensor, torch.Tensor> model, double sparsity) =>
        sparsity == 0 ? null : throw new NotSupportedException("Masked runs arrive with the pruning core.");
}
