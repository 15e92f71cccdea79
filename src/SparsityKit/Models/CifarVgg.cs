using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// The CIFAR VGG networks Frankle and Carbin prune (VGG-16 and VGG-19, after Liu et al.'s "Rethinking the value of
/// network pruning" and open_lth's cifar_vgg): 3x3 convolutions with batch normalisation and ReLU, 2x2 max-pooling
/// between the five blocks (none after the last), global average pooling and one fully connected layer. VGG-19 has
/// 20,024,000 weights on 3x32x32 inputs (VGG-16: 14,715,584) (their Table 1: 20.0M).
/// </summary>
public sealed class CifarVgg : Module<Tensor, Tensor>
{
    private const int Pool = 0;

    /// <summary>Filters per convolution, <c>0</c> for a max-pool: VGG-16 (configuration D of Simonyan and Zisserman).</summary>
    public static IReadOnlyList<int> Vgg16 { get; } = [64, 64, Pool, 128, 128, Pool, 256, 256, 256, Pool, 512, 512, 512, Pool, 512, 512, 512];

    /// <summary>VGG-19 (configuration E).</summary>
    public static IReadOnlyList<int> Vgg19 { get; } = [64, 64, Pool, 128, 128, Pool, 256, 256, 256, 256, Pool, 512, 512, 512, 512, Pool, 512, 512, 512, 512];

    private readonly IReadOnlyList<int> _plan;
    private readonly ModuleList<Module<Tensor, Tensor>> convs = new();
    private readonly ModuleList<Module<Tensor, Tensor>> norms = new();
    private readonly Module<Tensor, Tensor> fc;

    public CifarVgg(ILayerFactory layers, IReadOnlyList<int> plan, long inputChannels = 3, long classes = 10) : base("VGG")
    {
        _plan = plan;
        long channels = inputChannels;
        foreach (var width in plan.Where(w => w != Pool))
        {
            convs.Add(layers.Conv2d(channels, width, 3, padding: 1));
            norms.Add(BatchNorm2d(width));
            channels = width;
        }
        fc = layers.Linear(channels, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        int layer = 0;
        foreach (var width in _plan)
        {
            if (width == Pool) { x = functional.max_pool2d(x, 2); continue; }
            x = functional.relu(norms[layer].call(convs[layer].call(x)));
            layer++;
        }
        // open_lth pools the 2x2 map of a 32x32 input with AvgPool2d(2); adaptive pooling is the same there and also takes 28x28.
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return fc.call(x).MoveToOuterDisposeScope();
    }
}
