using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>The models SparsityKit names, built deterministically from a seed on a device.</summary>
public static partial class Zoo
{
    /// <summary>LeNet-300-100 (266,200 weights) for 28x28 inputs.</summary>
    public static nn.Module<Tensor, Tensor> LeNet300_100(long seed = 0, ILayerFactory? layers = null, Device? device = null) =>
        Build(seed, device, () => new LeNet300_100(layers ?? DenseLayers.Default));

    /// <summary>LeNet-5 (Caffe variant, 430,500 weights) for 28x28 inputs.</summary>
    public static nn.Module<Tensor, Tensor> LeNet5(long seed = 0, ILayerFactory? layers = null, Device? device = null) =>
        Build(seed, device, () => new LeNet5(layers ?? DenseLayers.Default));

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names => [.. Models.SelectMany(m => m.Aliases.Prepend(m.Name))];

    /// <summary>
    /// Builds an image model by name (see <see cref="Names"/>; case and punctuation are ignored) at its default input shape
    /// [channels, height, width] and classes unless given (see <see cref="Models"/>). A Transformer given the input shape
    /// [2, L] of packed sequence pairs (<see cref="Data.PackedSequencePairs"/>) is built as a <see cref="PackedTransformer"/>
    /// whose vocabulary is <paramref name="classes"/>, so plans and the command line build it as they build an image model.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create(string name, long seed = 0, ILayerFactory? layers = null, Device? device = null,
        long[]? inputShape = null, long? classes = null)
    {
        if (Find(name).TakesTokens && inputShape is [2, _])
            return new PackedTransformer(CreateTransformer(name, seed, layers, device, vocabulary: classes));
        return Build(name, seed, layers, device, inputShape, classes) as nn.Module<Tensor, Tensor>
            ?? throw new ArgumentException($"'{name}' takes token sequences, not images: build it with Zoo.CreateTransformer " +
                "(and, for the trainer, wrap it in a PackedTransformer and train on SequencePairs.ToDataset()).", nameof(name));
    }

    // The global generator is shared: two threads building models at once must not interleave their draws.
    private static readonly Lock GlobalGenerator = new();

    // Weights are drawn on the CPU from the seeded global generator so that they do not depend on the device.
    private static nn.Module<Tensor, Tensor> Build(long seed, Device? device, Func<nn.Module<Tensor, Tensor>> create)
    {
        // A zoo model used on the CPU outside a training session (inference, a notebook's forward) must not meet libtorch's
        // default oneDNN where oneDNN is wrong (LeNet-5 on this project's EPYC gives NaN): the process-wide check, once.
        if ((device ?? CPU).type == DeviceType.CPU) ConvolutionBackend.ChooseCorrect();
        nn.Module<Tensor, Tensor> model;
        lock (GlobalGenerator)
        {
            Seeding.Set(seed);
            model = BuiltInScope(create);
        }
        var target = Devices.Resolve(device);
        if (target.type != DeviceType.CPU) model.to(target);
        return model;
    }

    /// <summary>
    /// Builds a model inside a dispose scope, which keeps every tensor made meanwhile reachable until the model is built:
    /// a temporary left to the finalizer thread (a bias's <c>zero_</c> returns a second handle; TorchSharp's Conv2d makes
    /// one more) can be freed while libtorch still reads it. Nothing is freed here: a custom layer factory's layers may
    /// keep tensors they do not register, so every tensor leaves the scope as it would have without it.
    /// </summary>
    private static T BuiltInScope<T>(Func<T> create) where T : nn.Module
    {
        using var scope = NewDisposeScope();
        var model = create();
        scope.Detach(scope.DisposablesView.ToList());
        return model;
    }
}
