// The published recipes a zoo model trains with (--model NAME --recipe NAME): the library's Presets, by name.
using SparsityKit.Training;

namespace SparsityKit.Train.Jobs;

public sealed record ZooRecipe(string Name, string Description, TrainConfig Config)
{
    public static IReadOnlyList<ZooRecipe> All { get; } =
    [
        new("lottery-conv2", "Frankle and Carbin's Conv-2 on CIFAR-10: Adam 2e-4, batch 60, 20,000 steps", Presets.LotteryTicketConv2),
        new("lottery-conv4", "Frankle and Carbin's Conv-4 on CIFAR-10: Adam 3e-4, batch 60, 25,000 steps", Presets.LotteryTicketConv4),
        new("lottery-conv6", "Frankle and Carbin's Conv-6 on CIFAR-10: Adam 3e-4, batch 60, 30,000 steps", Presets.LotteryTicketConv6),
        new("lottery-resnet20", "Frankle and Carbin's ResNet-20: SGD momentum 0.9, 0.1 / 10 at 20k and 25k, weight decay 1e-4, batch 128, 30,000 steps",
            Presets.LotteryTicketResNet20),
        new("lottery-resnet20-warmup", "the same with the rate warmed up to 0.03 over 20,000 steps", Presets.LotteryTicketResNet20Warmup),
        new("lottery-vgg19", "Frankle and Carbin's VGG-19: SGD momentum 0.9, 0.1 / 10 at epochs 80 and 120, weight decay 1e-4, batch 64, 160 epochs",
            Presets.LotteryTicketVgg19),
        new("lottery-vgg19-warmup", "the same with the rate warmed up over 10,000 steps", Presets.LotteryTicketVgg19Warmup),
        new("he-cifar-resnet", "He et al.'s CIFAR ResNets: SGD momentum 0.9, 0.1 / 10 at 32k and 48k, weight decay 1e-4, batch 128, 64,000 steps",
            Presets.HeCifarResNet),
        new("rigl-wrn22-2", "RigL's WRN-22-2: SGD momentum 0.9, 0.1 / 5 every 30,000 steps, weight decay 5e-4, batch 128, 97,656 steps",
            Presets.RigLWideResNet22_2),
        new("gale-resnet50", "Gale et al.'s ResNet-50 on ImageNet: SGD Nesterov 0.4 warmed up 5 epochs, / 10 at epochs 30, 60, 80, " +
            "weight decay 1e-4, label smoothing 0.1, batch 1,024, 128,000 steps", Presets.GaleResNet50),
        new("vaswani-transformer", "Vaswani et al.'s Transformer: Adam 0.9/0.98/1e-9, inverse square root decay after 4,000 warm-up steps " +
            "(peak 512^-0.5 x 4000^-0.5), label smoothing 0.1, 100,000 steps (batch in pairs, not their 25,000 tokens)", Presets.VaswaniTransformerBase),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(r => r.Name).ToArray();

    public static ZooRecipe Find(string name) =>
        All.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"Unknown recipe '{name}' for --model: use one of {string.Join(", ", Names)}.", nameof(name));
}
