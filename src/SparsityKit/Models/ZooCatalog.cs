using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

public static partial class Zoo
{
    private static readonly long[] Mnist = [1, 28, 28], Cifar = [3, 32, 32], ImageNet = [3, 224, 224], Tokens = [];

    // He et al.'s and open_lth's convolutional networks start from Kaiming normal weights; the LeNets and Conv-2/4/6 from
    // Glorot normal, as Frankle and Carbin.
    private static readonly DenseLayers Kaiming = new(WeightInit.KaimingNormal);

    /// <summary>Every model the zoo builds, with its default input and classes.</summary>
    public static IReadOnlyList<ZooModel> Models { get; } =
    [
        new("conv2", "Frankle and Carbin's Conv-2", Cifar, 10, (s, c, l) => new FrankleCarbinConvNet(l ?? DenseLayers.Default, 1, s[0], s[1], c)),
        new("conv4", "Frankle and Carbin's Conv-4", Cifar, 10, (s, c, l) => new FrankleCarbinConvNet(l ?? DenseLayers.Default, 2, s[0], s[1], c)),
        new("conv6", "Frankle and Carbin's Conv-6", Cifar, 10, (s, c, l) => new FrankleCarbinConvNet(l ?? DenseLayers.Default, 3, s[0], s[1], c)),
        new("vgg16", "VGG-16 for CIFAR with batch norm (Frankle and Carbin, open_lth)", Cifar, 10, (s, c, l) => new CifarVgg(l ?? Kaiming, CifarVgg.Vgg16, s[0], c)),
        new("vgg19", "VGG-19 for CIFAR with batch norm (Frankle and Carbin, open_lth)", Cifar, 10, (s, c, l) => new CifarVgg(l ?? Kaiming, CifarVgg.Vgg19, s[0], c)),
        new("resnet20", "He et al.'s CIFAR ResNet-20", Cifar, 10, (s, c, l) => new CifarResNet(l ?? Kaiming, 20, s[0], c)),
        new("resnet32", "He et al.'s CIFAR ResNet-32", Cifar, 10, (s, c, l) => new CifarResNet(l ?? Kaiming, 32, s[0], c)),
        new("resnet56", "He et al.'s CIFAR ResNet-56", Cifar, 10, (s, c, l) => new CifarResNet(l ?? Kaiming, 56, s[0], c)),
        new("wrn22-2", "Zagoruyko and Komodakis's WRN-22-2 (RigL's CIFAR model)", Cifar, 10, (s, c, l) => new WideResNet(l ?? Kaiming, 22, 2, s[0], c)),
        new("resnet50", "ResNet-50 as torchvision builds it (Gale et al.'s ImageNet model)", ImageNet, 1000,
            (s, c, l) => new ImageNetResNet(l ?? Kaiming, ImageNetResNet.ResNet50Blocks, s[0], c)),
        new("transformer-base", "Vaswani et al.'s transformer_base, shared embeddings (Gale et al.'s WMT model)", Tokens, TransformerConfig.Base.Vocabulary,
            (s, c, l) => new Transformer(l ?? DenseLayers.Default, TransformerConfig.Base with { Vocabulary = c }), takesTokens: true),
        new("transformer-small", "a CPU-size Transformer of the same design", Tokens, TransformerConfig.Small.Vocabulary,
            (s, c, l) => new Transformer(l ?? DenseLayers.Default, TransformerConfig.Small with { Vocabulary = c }), takesTokens: true),
        new("vit-small", "a small vision Transformer for 28x28 and 32x32 images (patches 4x4)", Mnist, 10,
            (s, c, l) => new VisionTransformer(l ?? DenseLayers.Default, s[0], s[1], c)),
        new("lenet300", "LeNet-300-100", Mnist, 10, (s, c, l) => new LeNet300_100(l ?? DenseLayers.Default, s[0] * s[1] * s[2], c), aliases: "lenet300-100"),
        new("lenet5", "LeNet-5 (Caffe variant)", Mnist, 10, (s, c, l) => new LeNet5(l ?? DenseLayers.Default, s[0], s[1], c)),
    ];

    /// <summary>The model named <paramref name="name"/> (case and punctuation are ignored; older names are accepted).</summary>
    public static ZooModel Find(string name)
    {
        string key = Normalise(name);
        return Models.FirstOrDefault(m => Normalise(m.Name) == key || m.Aliases.Any(a => Normalise(a) == key))
            ?? throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>
    /// Builds any zoo model, image or token, seeded and on <paramref name="device"/>, at its default input and classes
    /// unless given. <see cref="Create"/> does the same for image models and returns them typed for the trainer.
    /// </summary>
    public static nn.Module Build(string name, long seed = 0, ILayerFactory? layers = null, Device? device = null,
        long[]? inputShape = null, long? classes = null)
    {
        var entry = Find(name);
        Seeding.Set(seed);
        var model = BuiltInScope(() => entry.Create(inputShape, classes, layers));
        var target = Devices.Resolve(device);
        if (target.type != DeviceType.CPU) model.to(target);
        return model;
    }

    /// <summary>transformer-base or transformer-small (or another token model), typed for its forward(source, target).</summary>
    public static Transformer CreateTransformer(string name, long seed = 0, ILayerFactory? layers = null, Device? device = null, long? vocabulary = null) =>
        Build(name, seed, layers, device, classes: vocabulary) as Transformer
            ?? throw new ArgumentException($"'{name}' is not a Transformer; use Zoo.Create for image models.", nameof(name));

    private static string Normalise(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
}
