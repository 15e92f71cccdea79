using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>The models SparsityKit names, built deterministically from a seed on a device.</summary>
public static class Zoo
{
    /// <summary>LeNet-300-100 (266,200 weights) for 28x28 inputs.</summary>
    public static nn.Module<Tensor, Tensor> LeNet300_100(long seed = 0, ILayerFactory? layers = null, Device? device = null) =>
        Build(seed, device, () => new LeNet300_100(layers ?? DenseLayers.Default));

    /// <summary>LeNet-5 (Caffe variant, 430,500 weights) for 28x28 inputs.</summary>
    public static nn.Module<Tensor, Tensor> LeNet5(long seed = 0, ILayerFactory? layers = null, Device? device = null) =>
        Build(seed, device, () => new LeNet5(layers ?? DenseLayers.Default));

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lenet300-100", "lenet5"];

    /// <summary>Builds a model by name (see <see cref="Names"/>; case and punctuation are ignored).</summary>
    public static nn.Module<Tensor, Tensor> Create(string name, long seed = 0, ILayerFactory? layers = null, Device? device = null) =>
        new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant() switch
        {
            "lenet300100" => LeNet300_100(seed, layers, device),
            "lenet5" => LeNet5(seed, layers, device),
            _ => throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.", nameof(name)),
        };

    // The global generator is shared: two threads building models at once must not interleave their draws.
    private static readonly Lock GlobalGenerator = new();

    // Weights are drawn on the CPU from the seeded global generator so that they do not depend on the device.
    private static nn.Module<Tensor, Tensor> Build(long seed, Device? device, Func<nn.Module<Tensor, Tensor>> create)
    {
        nn.Module<Tensor, Tensor> model;
        lock (GlobalGenerator)
        {
            Seeding.Set(seed);
            model = create();
        }
        var target = Devices.Resolve(device);
        if (target.type != DeviceType.CPU) model.to(target);
        return model;
    }
}
