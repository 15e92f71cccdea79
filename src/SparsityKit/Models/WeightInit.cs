namespace SparsityKit.Models;

/// <summary>How a dense layer's weights are initialised (biases always start at zero, except for <see cref="TorchDefault"/>).</summary>
public enum WeightInit
{
    /// <summary>TorchSharp's (and PyTorch's) default: Kaiming uniform with a = sqrt(5), uniform bias.</summary>
    TorchDefault,
    /// <summary>Gaussian Glorot (Xavier normal), as Frankle and Carbin use for LeNet.</summary>
    GlorotNormal,
    /// <summary>Kaiming (He) normal with fan-in, for ReLU networks; open_lth's default.</summary>
    KaimingNormal,
}
