using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>One weight layer of a chain network and what follows it.</summary>
/// <param name="Layer">The layer's module name ("fc1", "conv2").</param>
/// <param name="FlattenBefore">Flatten the input to [batch, features] first.</param>
/// <param name="Relu">A ReLU after the layer.</param>
/// <param name="MaxPool">Kernel (and stride) of a max-pool after it; 0 for none.</param>
/// <param name="Stride">The convolution's stride.</param>
/// <param name="Padding">The convolution's padding.</param>
public sealed record ChainStage(string Layer, bool FlattenBefore = false, bool Relu = false, long MaxPool = 0, long Stride = 1, long Padding = 0);

/// <summary>
/// A network that is a chain of linear and convolution layers, each followed by its stage's ReLU and max-pool: the shape
/// of LeNet-300-100 and LeNet-5, and what structured pruning's compaction builds at a smaller width.
/// </summary>
public sealed class ChainNetwork : nn.Module<Tensor, Tensor>
{
    private readonly IReadOnlyList<ChainStage> _stages;
    private readonly List<nn.Module<Tensor, Tensor>> _layers = [];

    /// <param name="layers">One layer per stage, in order (nn.Linear or nn.Conv2d).</param>
    public ChainNetwork(IReadOnlyList<ChainStage> stages, IReadOnlyList<nn.Module<Tensor, Tensor>> layers) : base(nameof(ChainNetwork))
    {
        if (stages.Count == 0 || stages.Count != layers.Count) throw new ArgumentException($"A chain needs one layer per stage; got {stages.Count} stages and {layers.Count} layers.");
        _stages = stages;
        for (int i = 0; i < stages.Count; i++)
        {
            register_module(stages[i].Layer, layers[i]);
            _layers.Add(layers[i]);
        }
    }

    /// <summary>LeNet-300-100's chain (<see cref="LeNet300_100"/>): flatten, fc1, ReLU, fc2, ReLU, fc3.</summary>
    public static IReadOnlyList<ChainStage> LeNet300_100Stages { get; } =
        [new("fc1", FlattenBefore: true, Relu: true), new("fc2", Relu: true), new("fc3")];

    /// <summary>LeNet-5's chain (<see cref="LeNet5"/>, Caffe): conv1, pool, conv2, pool, flatten, fc1, ReLU, fc2.</summary>
    public static IReadOnlyList<ChainStage> LeNet5Stages { get; } =
        [new("conv1", MaxPool: 2), new("conv2", MaxPool: 2), new("fc1", FlattenBefore: true, Relu: true), new("fc2")];

    /// <summary>The chain of a zoo model, or a clear error for a model that is not one.</summary>
    public static IReadOnlyList<ChainStage> StagesOf(nn.Module model) => model switch
    {
        LeNet300_100 => LeNet300_100Stages,
        LeNet5 => LeNet5Stages,
        ChainNetwork chain => chain._stages,
        _ => throw new ArgumentException($"{model.GetName()} is not a known chain network: pass its stages (a list of ChainStage) explicitly."),
    };

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        for (int i = 0; i < _stages.Count; i++)
        {
            var stage = _stages[i];
            if (stage.FlattenBefore) x = x.flatten(1);
            x = _layers[i].call(x);
            if (stage.Relu) x = nn.functional.relu(x);
            if (stage.MaxPool > 0) x = nn.functional.max_pool2d(x, stage.MaxPool);
        }
        return x.MoveToOuterDisposeScope();
    }
}
