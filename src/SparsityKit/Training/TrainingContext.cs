using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>What a <see cref="TrainingMethod"/> sees of the run it hooks into.</summary>
public sealed class TrainingContext(nn.Module<Tensor, Tensor> model, Optimizer optimizer, IDataSource source, TrainConfig config)
{
    public nn.Module<Tensor, Tensor> Model { get; } = model;
    public Optimizer Optimizer { get; } = optimizer;

    /// <summary>The training data, whole tensors or a stream.</summary>
    public IDataSource Source { get; } = source;

    /// <summary>The training data as whole tensors, for methods that draw their own batches (SNIP, GraSP).</summary>
    public Dataset Data => Source as Dataset ?? throw new NotSupportedException(
        $"This method needs the training set as whole tensors (a Dataset), but '{Source.Name}' is streamed: load it as a Dataset, or choose a method that needs no data of its own.");
    public TrainConfig Config { get; } = config;

    /// <summary>Optimizer steps completed so far.</summary>
    public long Step { get; internal set; }

    /// <summary>Training examples in the training set (for per-example scaling of a regulariser).</summary>
    public long TrainCount => Source.TrainCount;
}
