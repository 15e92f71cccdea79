using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// LeNet-5, Caffe variant: conv 5x5 with 20 filters, 2x2 max-pool, conv 5x5 with 50 filters, 2x2 max-pool,
/// fully connected 800-500, ReLU, fully connected 500-10 (the network of Han et al., Molchanov et al. and
/// Louizos et al.; 431K weights).
/// </summary>
public sealed class LeNet5 : Module<Tensor, Tensor>, IHasInputShape
{
    private readonly Module<Tensor, Tensor> conv1, conv2, fc1, fc2;

    public LeNet5(ILayerFactory layers, long inputChannels = 1, long imageSize = 28, long classes = 10) : base(nameof(LeNet5))
    {
        // Two 5x5 convolutions, each followed by a 2x2 pool, leave at least one position only from 16x16 up.
        if (imageSize < 16) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "LeNet-5's two convolutions and pools need images of at least 16x16 (MNIST's are 28x28).");
        if (inputChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "At least one input channel is needed (1 for MNIST).");
        InputShape = new InputShape([inputChannels, imageSize, imageSize]);
        conv1 = layers.Conv2d(inputChannels, 20, 5);
        conv2 = layers.Conv2d(20, 50, 5);
        long side = ((imageSize - 4) / 2 - 4) / 2;
        fc1 = layers.Linear(50 * side * side, 500);
        fc2 = layers.Linear(500, classes);
        RegisterComponents();
    }

    public InputShape InputShape { get; }

    public override Tensor forward(Tensor input)
    {
        InputShape.Check(this, input.shape[1..], "its input");
        using var scope = NewDisposeScope();
        var x = functional.max_pool2d(conv1.call(input), 2);
        x = functional.max_pool2d(conv2.call(x), 2);
        x = functional.relu(fc1.call(x.flatten(1)));
        return fc2.call(x).MoveToOuterDisposeScope();
    }
}
