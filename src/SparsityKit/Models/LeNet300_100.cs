using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// LeNet-300-100: a 784-300-100-10 fully connected ReLU network (LeCun et al. 1998), as used by Han et al.,
/// Frankle and Carbin, Molchanov et al. and Louizos et al. Input images are flattened.
/// </summary>
public sealed class LeNet300_100 : Module<Tensor, Tensor>, IHasInputShape
{
    private readonly Module<Tensor, Tensor> fc1, fc2, fc3;

    public LeNet300_100(ILayerFactory layers, long inputFeatures = 784, long classes = 10) : base(nameof(LeNet300_100))
    {
        if (inputFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inputFeatures), inputFeatures, "An input needs at least one value (784 for 28x28 images).");
        InputShape = new InputShape(inputFeatures == 784 ? [1, 28, 28] : [inputFeatures], AnyShapeOfThisSize: true);
        fc1 = layers.Linear(inputFeatures, 300);
        fc2 = layers.Linear(300, 100);
        fc3 = layers.Linear(100, classes);
        RegisterComponents();
    }

    public InputShape InputShape { get; }

    public override Tensor forward(Tensor input)
    {
        InputShape.Check(this, input.shape[1..], "its input");
        using var scope = NewDisposeScope();
        var x = functional.relu(fc1.call(input.flatten(1)));
        x = functional.relu(fc2.call(x));
        return fc3.call(x).MoveToOuterDisposeScope();
    }
}
