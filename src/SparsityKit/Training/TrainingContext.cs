using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>What a <see cref="TrainingMethod"/> sees of the run it hooks into.</summary>
public sealed class TrainingContext(nn.Module<Tensor, Tensor> model, Optimizer optimizer, Dataset data, TrainConfig config)
{
    public nn.Module<Tensor, Tensor> Model { get; } = model;
    public Optimizer Optimizer { get; } = optimizer;
    public Dataset Data { get; } = data;
    public TrainConfig Config { get; } = config;

    /// <summary>Optimizer steps completed so far.</summary>
    public long Step { get; internal set; }

    /// <summary>Training examples in the training set (for per-example scaling of a regulariser).</summary>
    public long TrainCount => Data.TrainCount;
}
