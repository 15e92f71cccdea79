using SparsityKit.Models;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>The models of the speed table, all on MNIST's 1x28x28 images (the same ones bench/pytorch_models.py builds).</summary>
static class BenchModels
{
    public static readonly string[] Names = ["lenet5", "resnet20", "conv4", "mlp1200", "vit-small"];

    /// <summary>lenet5, resnet20, conv4 and vit-small from the zoo at 1x28x28; mlp1200 is 784-1200-1200-10 with ReLUs (Hinton et al.'s distillation MLP).</summary>
    public static nn.Module<Tensor, Tensor> Create(string name, long seed) => name switch
    {
        "mlp1200" => Mlp1200(seed),
        "lenet5" or "resnet20" or "conv4" or "vit-small" => Zoo.Create(name, seed, inputShape: [1, 28, 28], classes: 10),
        _ => throw new ArgumentException($"Unknown benchmark model '{name}': use one of {string.Join(", ", Names)}."),
    };

    private static nn.Module<Tensor, Tensor> Mlp1200(long seed)
    {
        SparsityKit.Seeding.Set(seed);
        var layers = DenseLayers.Default;
        return new ChainNetwork(
            [new("fc1", FlattenBefore: true, Relu: true), new("fc2", Relu: true), new("fc3")],
            [layers.Linear(784, 1200), layers.Linear(1200, 1200), layers.Linear(1200, 10)]);
    }
}
