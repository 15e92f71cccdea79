namespace SparsityKit.Train.Jobs;

/// <summary>Which training job a command line asks for.</summary>
public enum TrainKind
{
    /// <summary>The README's main job: LeNet-300-100 on MNIST with Frankle and Carbin's settings (Program's first form).</summary>
    LeNet,
    /// <summary>Any image model of the zoo (--model NAME) on MNIST, Fashion-MNIST, CIFAR or an image folder.</summary>
    ZooModel,
    /// <summary>LeNet-300-100 (or --model NAME) trained with a method of the catalog to a sparsity (--method NAME --sparsity S).</summary>
    Method,
    /// <summary>One row per zoo model (--list-models).</summary>
    ListModels,
    /// <summary>The catalog's methods (--list-methods).</summary>
    ListMethods,
}

/// <summary>
/// A training command line, parsed: what to train and its settings. Unset numbers are null here and take the job's own
/// default (<see cref="StepsOrDefault"/>): 6,000 steps for LeNet-300-100 and the methods, 1,000 for other zoo models.
/// </summary>
public sealed record TrainRequest(TrainKind Kind)
{
    public const int LeNetSteps = 6_000, ZooSteps = 1_000;

    public string? Model { get; init; }
    public string Data { get; init; } = "mnist";
    /// <summary>The folder CIFAR or an image folder is read from (--data-dir).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Side of an image folder's square crop (--image-size); null for 224.</summary>
    public int? ImageSize { get; init; }
    public int? Steps { get; init; }
    public bool Full { get; init; }
    public long Seed { get; init; } = 1;
    public bool ConstantLearningRate { get; init; }
    public int BatchSize { get; init; } = 60;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Augmentation of a zoo model's training batches: "crop-flip", "crop" or null for none.</summary>
    public string? Augment { get; init; }

    /// <summary>Whether a zoo model's convolution kernels are stored channels-last (TrainConfig.ChannelsLast).</summary>
    public bool ChannelsLast { get; init; }
    public string? Method { get; init; }
    public double Sparsity { get; init; } = 0.9;
    public string? Distribution { get; init; }
    /// <summary>The training recipe of a method run (<see cref="MethodRecipe"/>) or of a zoo model (<see cref="ZooRecipe"/>); null for the default.</summary>
    public string? Recipe { get; init; }
    public string? ExportDirectory { get; init; }

    public int StepsOrDefault => Steps ?? Kind switch
    {
        TrainKind.ZooModel or TrainKind.Method when Model is not null => Recipe is null ? ZooSteps : ZooRecipe.Find(Recipe).Config.Steps,
        TrainKind.Method => MethodRecipe.Find(Recipe).DefaultSteps,
        _ => LeNetSteps,
    };
}
