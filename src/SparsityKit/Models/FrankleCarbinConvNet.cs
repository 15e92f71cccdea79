using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// Frankle and Carbin's Conv-2, Conv-4 and Conv-6 (The Lottery Ticket Hypothesis, 2019, Figure 2): one, two or three
/// stages of two 3x3 convolutions (64, 128, 256 filters, padding "same", ReLU) each followed by 2x2 max-pooling, then
/// fully connected layers 256, 256 and the classes. On 3x32x32 inputs: Conv-2 4,300,992 weights, Conv-4 2,425,024 and
/// Conv-6 2,261,184 (their Table 1 says 1.7M for Conv-6, which this architecture as described does not give).
/// </summary>
public sealed class FrankleCarbinConvNet : Module<Tensor, Tensor>
{
    private static readonly long[] StageWidths = [64, 128, 256];

    private readonly ModuleList<Module<Tensor, Tensor>> convs = new();
    private readonly Module<Tensor, Tensor> fc1, fc2, fc3;

    /// <param name="stages">1 for Conv-2, 2 for Conv-4, 3 for Conv-6.</param>
    public FrankleCarbinConvNet(ILayerFactory layers, int stages, long inputChannels = 3, long imageSize = 32, long classes = 10)
        : base($"Conv-{2 * stages}")
    {
        if (stages is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(stages), stages, "Conv-2, -4 and -6 have 1 to 3 stages.");
        long channels = inputChannels, side = imageSize;
        for (int s = 0; s < stages; s++)
        {
            convs.Add(layers.Conv2d(channels, StageWidths[s], 3, padding: 1));
            convs.Add(layers.Conv2d(StageWidths[s], StageWidths[s], 3, padding: 1));
            channels = StageWidths[s];
            side /= 2;
        }
        if (side < 1) throw new ArgumentException($"A {imageSize}x{imageSize} image is too small for {stages} poolings.", nameof(imageSize));
        fc1 = layers.Linear(channels * side * side, 256);
        fc2 = layers.Linear(256, 256);
        fc3 = layers.Linear(256, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        for (int i = 0; i < convs.Count; i += 2)
        {
            x = functional.relu(convs[i].call(x));
            x = functional.max_pool2d(functional.relu(convs[i + 1].call(x)), 2);
        }
        x = functional.relu(fc1.call(x.flatten(1)));
        x = functional.relu(fc2.call(x));
        return fc3.call(x).MoveToOuterDisposeScope();
    }
}
