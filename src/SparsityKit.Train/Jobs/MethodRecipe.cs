// The training recipes `--method` runs take (--recipe NAME): the optimizer, batch, schedule and length of a published
// setting for LeNet-300-100 on MNIST, and the mask-update schedule that goes with it.
using SparsityKit.Methods;
using SparsityKit.Training;

namespace SparsityKit.Train.Jobs;

public sealed record MethodRecipe(string Name, string Description, int DefaultSteps, Func<int, TrainConfig> Config, DropAndGrowSchedule? DropAndGrow = null)
{
    /// <summary>Frankle and Carbin's Adam 1.2e-3 at batch 60, with a cosine decay of the rate: the kit's default.</summary>
    public static MethodRecipe Lottery { get; } = new("lottery",
        "Frankle and Carbin's Adam 1.2e-3, batch 60, the rate decayed on a cosine (default; 6,000 steps)", TrainRequest.LeNetSteps,
        steps => Presets.LotteryTicketLeNet300 with { Steps = steps, Schedule = new CosineDecay(), EvaluateEvery = 0 });

    /// <summary>RigL's MNIST code: SGD Nesterov 0.2, batch 100, L2 1e-4, 120,000 steps, mask updates until step 50,000.</summary>
    public static MethodRecipe RigLMnist { get; } = new("rigl-mnist",
        "RigL's MNIST code (Evci et al. 2020, Table 2): SGD Nesterov 0.2 / 3 at epochs 75 and 95, batch 100, L2 1e-4, 120,000 steps, masks change until 5/12 of training",
        Presets.RigLMnistSteps, steps => Presets.RigLMnistLeNet300(steps), Presets.RigLMnistDropAndGrow);

    public static IReadOnlyList<MethodRecipe> All { get; } = [Lottery, RigLMnist];

    public static IReadOnlyList<string> Names { get; } = All.Select(r => r.Name).ToArray();

    public static MethodRecipe Find(string? name) => name is null ? Lottery
        : All.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"Unknown recipe '{name}': use one of {string.Join(", ", Names)}.", nameof(name));
}
