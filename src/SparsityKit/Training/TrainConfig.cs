namespace SparsityKit.Training;

/// <summary>
/// How to train: optimizer, schedule, length, batch size, evaluation and snapshots. Immutable; change a
/// field with <c>with</c>. Presets with the papers' settings are in <see cref="Presets"/>.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Optimizer steps (iterations) to run.</summary>
    public int Steps { get; init; } = 5_000;

    /// <summary>Examples per mini-batch.</summary>
    public int BatchSize { get; init; } = 60;

    public OptimizerSettings Optimizer { get; init; } = new Adam(1.2e-3);

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Evaluate on the test (and validation) set every this many steps; 0 evaluates only at the end.</summary>
    public int EvaluateEvery { get; init; } = 1_000;

    /// <summary>Report progress (and check the loss for NaN) every this many steps.</summary>
    public int ReportEvery { get; init; } = 100;

    /// <summary>Seed of the mini-batch order (the model's seed is the model's own).</summary>
    public long DataSeed { get; init; }

    /// <summary>
    /// Random crop and flip of each training batch on the device, seeded by <see cref="DataSeed"/>; null for none. Left out
    /// of a run's key while null, so keys of runs made before this setting existed stay valid.
    /// </summary>
    [field: Experiments.InRunKeyUnlessDefault]
    public Data.Augmentation? Augmentation { get; init; }

    /// <summary>Steps at which to keep a copy of the weights (0 = before training), for rewinding.</summary>
    public IReadOnlyList<long> SnapshotSteps { get; init; } = [];

    /// <summary>
    /// Save the run's whole state every this many steps when a checkpoint file is given (run stores give one), so a
    /// killed run resumes from its last checkpoint and ends bit-identical to an uninterrupted one on CPU. Null: every
    /// 5% of training for runs of 10,000 steps or more, none for shorter runs; 0: never. Not part of a run's key.
    /// </summary>
    [field: Experiments.NotInRunKey]
    public int? CheckpointEvery { get; init; }

    /// <summary>The checkpoint interval in effect (see <see cref="CheckpointEvery"/>); 0 for none.</summary>
    public int CheckpointInterval => CheckpointEvery ?? (Steps >= 10_000 ? Math.Max(500, Steps / 20) : 0);

    /// <summary>Examples per forward pass when evaluating.</summary>
    public int EvaluationBatchSize { get; init; } = 2_000;

    /// <summary>
    /// Label smoothing of the training loss (Szegedy et al. 2016): the target gives 1 - e to the label and e / K to each
    /// of the K classes (PyTorch's <c>label_smoothing</c>). 0 (the default) for plain cross-entropy; evaluation losses
    /// are always plain cross-entropy, so they compare across settings. E.g. 0.1 for ResNet-50 on ImageNet.
    /// </summary>
    [field: Experiments.InRunKeyUnlessDefault]
    public double LabelSmoothing { get; init; }

    /// <summary>
    /// Whether the optimizer's weight decay skips parameters of fewer than two dimensions: biases and the scales and
    /// shifts of BatchNorm and LayerNorm ("no bias decay", He et al. 2019, Bag of Tricks, section 3.1). False (the default):
    /// every parameter decays, as in PyTorch's optimizers.
    /// </summary>
    [field: Experiments.InRunKeyUnlessDefault]
    public bool WeightDecaySkipsBiasesAndNorms { get; init; }

    /// <summary>
    /// Whether training lays the model's convolution kernels out channels-last (<see cref="Training.ChannelsLast"/>), as
    /// PyTorch users do with <c>memory_format=torch.channels_last</c>. It pays where oneDNN runs the convolutions
    /// (<see cref="ConvolutionBackend"/>): on one thread LeNet-5 trained at 1.49x, ResNet-20 1.18x and Conv-4 1.08x the
    /// PyTorch peer's default layout with it, 0.97x, 0.94x and 0.97x without (2026-12-07/08, AMD EPYC Zen 4; where
    /// oneDNN is wrong for a model, libtorch's own kernels gain little from it). Results are not bit-identical to
    /// contiguous kernels' (other kernels, other summation orders; libtorch's channels-last batch norm is also less precise
    /// in float32: ResNet-20's gradients within 1e-2 of the largest against float64, 3e-4 contiguous), so it is part of a
    /// run's key when set. False (the default) leaves the model's layout alone.
    /// </summary>
    [field: Experiments.InRunKeyUnlessDefault]
    public bool ChannelsLast { get; init { field = value; _channelsLastLayout = LayoutInKey(); } }

    /// <summary>
    /// Reproduces <see cref="ChannelsLast"/> as it was before 2026-12-08, for runs stored then (notebook 07's ResNet-20):
    /// kernels whose NCHW strides also read as NHWC once dimensions of size 1 are ignored (one input channel, as a grey
    /// image's first convolution, or 1x1) stayed NCHW, so libtorch ran those convolutions contiguous and reordered their
    /// outputs for the next layer: LeNet-5 trained at 0.77x the PyTorch peer's channels-last speed so, 0.99x with every
    /// kernel relaid (one thread). False (the default): every kernel is laid out as PyTorch's
    /// <c>model.to(memory_format=torch.channels_last)</c> lays it out.
    /// </summary>
    [field: Experiments.NotInRunKey]
    public bool ChannelsLastLeavesAmbiguousKernels { get; init { field = value; _channelsLastLayout = LayoutInKey(); } }

    // Which channels-last layout a run trained on, for its key: 0 (left out) for contiguous kernels and for the layout of
    // runs stored before 2026-12-08, whose keys then stand; 2 for every kernel relaid.
    [Experiments.InRunKeyUnlessDefault]
    private readonly int _channelsLastLayout;

    private int LayoutInKey() => ChannelsLast && !ChannelsLastLeavesAmbiguousKernels ? 2 : 0;

    /// <summary>Whether weight decay applies to this parameter under <see cref="WeightDecaySkipsBiasesAndNorms"/>.</summary>
    public bool Decays(TorchSharp.Modules.Parameter parameter) => !WeightDecaySkipsBiasesAndNorms || parameter.dim() >= 2;

    /// <summary>
    /// The optimizer over the model's trainable parameters. Training-only parameters (variational dropout's log sigma^2,
    /// L0's gate logits: <see cref="Sparsity.IAuxiliaryParameters"/>) never take weight decay: they are not weights, and
    /// decaying log sigma^2 towards 0 raises the noise until it swamps the weights. Biases and normalisation parameters
    /// are exempt too if <see cref="WeightDecaySkipsBiasesAndNorms"/> asks.
    /// </summary>
    public Optimizer CreateOptimizer(TorchSharp.torch.nn.Module model) =>
        CreateOptimizer([.. model.named_parameters().Where(np => np.parameter.requires_grad).Select(np => (np.name, np.parameter))],
            Sparsity.AuxiliaryParameters.NamesIn(model));

    /// <summary>The optimizer over these parameters, with <paramref name="trainingOnly"/> and (if asked) biases and norms exempt from weight decay.</summary>
    public Optimizer CreateOptimizer(IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters, IReadOnlySet<string>? trainingOnly = null)
    {
        var optimizer = Optimizer.Create(parameters);
        var exempt = parameters.Where(np => trainingOnly?.Contains(np.Name) == true || !Decays(np.Parameter)).Select(np => np.Name).ToList();
        // Nothing exempt: the optimizer as it was before exemptions existed, so such runs stay bit-identical.
        if (exempt.Count > 0) optimizer.ExemptFromWeightDecay(exempt);
        return optimizer;
    }

    /// <summary>
    /// Whether <see cref="CreateOptimizer(TorchSharp.torch.nn.Module)"/> exempts some of this model's parameters from a
    /// weight decay they would otherwise take (training-only ones, with a decaying optimizer). Such a run's key says so:
    /// before the exemption they decayed, and a store must not hand back those results.
    /// </summary>
    public bool ExemptsTrainingOnlyParameters(TorchSharp.torch.nn.Module model) =>
        Optimizer is Sgd { WeightDecay: > 0 } or Adam { WeightDecay: > 0 } && Sparsity.AuxiliaryParameters.NamesIn(model).Count > 0;

    /// <summary>The mean training loss of a batch: cross-entropy, with <see cref="LabelSmoothing"/> if set.</summary>
    public TorchSharp.torch.Tensor TrainingLoss(TorchSharp.torch.Tensor logits, TorchSharp.torch.Tensor labels) =>
        // Without smoothing this is the call made before the setting existed, so results stay bit-identical.
        LabelSmoothing > 0
            ? TorchSharp.torch.nn.functional.cross_entropy(logits, labels, label_smoothing: LabelSmoothing)
            : TorchSharp.torch.nn.functional.cross_entropy(logits, labels);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field and its valid range.</summary>
    public void Validate()
    {
        if (Steps < 0) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must not be negative.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
        if (EvaluateEvery < 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEvery), EvaluateEvery, "Use 0 to evaluate only at the end.");
        if (ReportEvery <= 0) throw new ArgumentOutOfRangeException(nameof(ReportEvery), ReportEvery, "ReportEvery must be positive.");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "Use 0 for no checkpoints, or null for the default.");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "Label smoothing must be a number in [0, 1): 0 for none, e.g. 0.1.");
        if (EvaluationBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "Must be positive.");
        Schedule.Validate();
        foreach (var s in SnapshotSteps)
            if (s < 0 || s > Steps) throw new ArgumentOutOfRangeException(nameof(SnapshotSteps), s, $"Snapshot steps must lie in [0, {Steps}].");
    }

    // Records compare lists by reference; compare and hash them by content so equal configs are equal.
    public bool Equals(TrainConfig? other) =>
        other is not null && Steps == other.Steps && BatchSize == other.BatchSize && Optimizer == other.Optimizer &&
        Schedule == other.Schedule && EvaluateEvery == other.EvaluateEvery && ReportEvery == other.ReportEvery &&
        DataSeed == other.DataSeed && Augmentation == other.Augmentation && SnapshotSteps.SequenceEqual(other.SnapshotSteps) &&
        EvaluationBatchSize == other.EvaluationBatchSize &&
        LabelSmoothing.Equals(other.LabelSmoothing) && WeightDecaySkipsBiasesAndNorms == other.WeightDecaySkipsBiasesAndNorms &&
        ChannelsLast == other.ChannelsLast && ChannelsLastLeavesAmbiguousKernels == other.ChannelsLastLeavesAmbiguousKernels;

    public override int GetHashCode() =>
        HashCode.Combine(Steps, BatchSize, Optimizer, Schedule, EvaluateEvery, DataSeed, SnapshotSteps.Count);
}
