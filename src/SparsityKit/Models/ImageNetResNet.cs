using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// The ImageNet ResNet with bottleneck blocks, built exactly as torchvision builds it, so that its state_dict has
/// torchvision's names and shapes (conv1, bn1, layer1.0.conv1, ..., layer4.2.bn3, fc) and a PyTorch checkpoint loads
/// into its dense version. ResNet-50 (the model of Gale et al.): 23,454,912 convolution weights, 2,048,000 in fc.
/// </summary>
public sealed class ImageNetResNet : Module<Tensor, Tensor>
{
    /// <summary>Blocks per stage of ResNet-50.</summary>
    public static IReadOnlyList<int> ResNet50Blocks { get; } = [3, 4, 6, 3];

    private readonly Module<Tensor, Tensor> conv1, bn1, layer1, layer2, layer3, layer4, fc;

    public ImageNetResNet(ILayerFactory layers, IReadOnlyList<int> blocks, long inputChannels = 3, long classes = 1000) : base("ResNet")
    {
        if (blocks.Count != 4 || blocks.Any(b => b < 1))
            throw new ArgumentException("An ImageNet ResNet has four stages of at least one block each, e.g. [3, 4, 6, 3] for ResNet-50.", nameof(blocks));
        conv1 = layers.Conv2d(inputChannels, 64, 7, 2, 3, bias: false);
        bn1 = BatchNorm2d(64);
        long channels = 64;
        layer1 = Stage(layers, ref channels, 64, blocks[0], stride: 1);
        layer2 = Stage(layers, ref channels, 128, blocks[1], stride: 2);
        layer3 = Stage(layers, ref channels, 256, blocks[2], stride: 2);
        layer4 = Stage(layers, ref channels, 512, blocks[3], stride: 2);
        fc = layers.Linear(channels, classes);
        RegisterComponents();
    }

    private static Module<Tensor, Tensor> Stage(ILayerFactory layers, ref long channels, long width, int count, long stride)
    {
        var stage = new List<(string, Module<Tensor, Tensor>)>();
        for (int b = 0; b < count; b++)
        {
            stage.Add(($"{b}", new Bottleneck(layers, channels, width, b == 0 ? stride : 1)));
            channels = width * Bottleneck.Expansion;
        }
        return Sequential(stage);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(bn1.call(conv1.call(input)));
        x = functional.max_pool2d(x, 3, 2, 1);
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return fc.call(x).MoveToOuterDisposeScope();
    }
}
