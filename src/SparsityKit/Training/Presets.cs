namespace SparsityKit.Training;

/// <summary>Training settings from the papers SparsityKit replicates (see shared REFERENCES.md).</summary>
public static class Presets
{
    /// <summary>
    /// Frankle and Carbin's LeNet-300-100 on MNIST: Adam 1.2e-3, batch 60, 50,000 iterations, evaluation
    /// every 100 iterations in the paper (every 1,000 here by default, to keep runs fast).
    /// </summary>
    public static TrainConfig LotteryTicketLeNet300 { get; } = new()
    {
        Steps = 50_000, BatchSize = 60, Optimizer = new Adam(1.2e-3), EvaluateEvery = 1_000,
    };

    /// <summary>Frankle and Carbin's Conv-2 on CIFAR-10 (The Lottery Ticket Hypothesis, Figure 2): Adam 2e-4, batch 60, 20,000 iterations.</summary>
    public static TrainConfig LotteryTicketConv2 { get; } = new() { Steps = 20_000, BatchSize = 60, Optimizer = new Adam(2e-4), EvaluateEvery = 1_000 };

    /// <summary>Frankle and Carbin's Conv-4 on CIFAR-10 (Figure 2): Adam 3e-4, batch 60, 25,000 iterations.</summary>
    public static TrainConfig LotteryTicketConv4 { get; } = new() { Steps = 25_000, BatchSize = 60, Optimizer = new Adam(3e-4), EvaluateEvery = 1_000 };

    /// <summary>Frankle and Carbin's Conv-6 on CIFAR-10 (Figure 2): Adam 3e-4, batch 60, 30,000 iterations.</summary>
    public static TrainConfig LotteryTicketConv6 { get; } = new() { Steps = 30_000, BatchSize = 60, Optimizer = new Adam(3e-4), EvaluateEvery = 1_000 };

    // Frankle and Carbin (ICLR 2019), Figure 2 (the table of architectures) and Appendix I: "Resnet-18" there is the
    // 20-layer CIFAR ResNet of He et al. (resnet20 in the zoo). Augmentation (random flips, 4-pixel pad and crop) and
    // their 45,000/5,000 train/validation split are the data's, not the config's.

    /// <summary>
    /// Frankle and Carbin's "Resnet-18" (ResNet-20) on CIFAR-10 (Figure 2; Appendix I.3): SGD momentum 0.9, learning rate
    /// 0.1, weight decay 1e-4, batch 128, 30,000 iterations in stages of 20,000, 5,000 and 5,000 (the rate / 10 at each).
    /// </summary>
    public static TrainConfig LotteryTicketResNet20 { get; } = new()
    {
        Steps = 30_000, BatchSize = 128, Optimizer = new Sgd(0.1, Momentum: 0.9, WeightDecay: 1e-4),
        Schedule = new StepDecay([20_000, 25_000], 0.1), EvaluateEvery = 1_000,
    };

    /// <summary>
    /// <see cref="LotteryTicketResNet20"/> with the learning rate warmed up linearly to 0.03 over 20,000 iterations
    /// (Appendix I.5; the setting with which iterative pruning finds winning tickets at the higher rate).
    /// </summary>
    public static TrainConfig LotteryTicketResNet20Warmup { get; } = LotteryTicketResNet20 with
    {
        Optimizer = new Sgd(0.03, Momentum: 0.9, WeightDecay: 1e-4), Schedule = new StepDecay([20_000, 25_000], 0.1, WarmupSteps: 20_000),
    };

    /// <summary>
    /// Frankle and Carbin's VGG-19 on CIFAR-10 (Figure 2; Appendix I.2, following Liu et al. 2019): SGD momentum 0.9,
    /// learning rate 0.1, weight decay 1e-4, batch 64, 160 epochs = 112,480 iterations (703 per epoch), the rate / 10
    /// after epochs 80 and 120.
    /// </summary>
    public static TrainConfig LotteryTicketVgg19 { get; } = new()
    {
        Steps = 112_480, BatchSize = 64, Optimizer = new Sgd(0.1, Momentum: 0.9, WeightDecay: 1e-4),
        Schedule = new StepDecay([80 * 703, 120 * 703], 0.1), EvaluateEvery = 2_000,
    };

    /// <summary><see cref="LotteryTicketVgg19"/> with linear warm-up to 0.1 over 10,000 iterations (Appendix I.5).</summary>
    public static TrainConfig LotteryTicketVgg19Warmup { get; } = LotteryTicketVgg19 with
    {
        Schedule = new StepDecay([80 * 703, 120 * 703], 0.1, WarmupSteps: 10_000),
    };

    /// <summary>
    /// He et al. 2016 (Deep Residual Learning, section 4.2) for their CIFAR-10 ResNets (resnet20, resnet32, resnet56):
    /// SGD momentum 0.9, weight decay 1e-4, batch 128, learning rate 0.1 divided by 10 at 32k and 48k iterations,
    /// 64k iterations in all, on a 45k/5k split with 4-pixel padding, 32x32 crops and horizontal flips.
    /// </summary>
    public static TrainConfig HeCifarResNet { get; } = new()
    {
        Steps = 64_000, BatchSize = 128, Optimizer = new Sgd(0.1, Momentum: 0.9, WeightDecay: 1e-4),
        Schedule = new StepDecay([32_000, 48_000], 0.1), EvaluateEvery = 2_000,
    };

    /// <summary>
    /// WRN-22-2 on CIFAR-10 as trained by RigL (Evci et al. 2020, section 4.3): 250 epochs = 97,656 steps at batch 128,
    /// SGD momentum 0.9, learning rate 0.1 divided by 5 every 30,000 iterations, weight decay 5e-4.
    /// </summary>
    public static TrainConfig RigLWideResNet22_2 { get; } = new()
    {
        Steps = 97_656, BatchSize = 128, Optimizer = new Sgd(0.1, Momentum: 0.9, WeightDecay: 5e-4),
        Schedule = new StepDecay([30_000, 60_000, 90_000], 0.2), EvaluateEvery = 2_000,
    };

    /// <summary>
    /// RigL's own MNIST recipe for LeNet-300-100 (google-research/rigl, rigl/mnist/mnist_train_eval.py, the settings behind
    /// Evci et al. 2020, Appendix B, Table 2): batch 100, SGD with Nesterov momentum 0.9, learning rate 0.2 divided by 3 at
    /// epochs 75 and 95, L2 1e-4 on the weights only (TensorFlow's kernel regularizer), 200 epochs = 120,000 steps.
    /// A shorter <paramref name="steps"/> keeps the recipe's proportions (the rate drops at 3/8 and 19/40 of training).
    /// Its mask updates stop at step 50,000 of 120,000: <see cref="RigLMnistDropAndGrow"/>.
    /// </summary>
    public static TrainConfig RigLMnistLeNet300(int steps = RigLMnistSteps) => new()
    {
        Steps = steps, BatchSize = 100, Optimizer = new Sgd(0.2, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4),
        WeightDecaySkipsBiasesAndNorms = true,
        Schedule = new StepDecay([(long)Math.Round(steps * 75.0 / 200), (long)Math.Round(steps * 95.0 / 200)], 1 / 3.0),
        EvaluateEvery = 0,
    };

    /// <summary>200 epochs of 600 batches of 100: the length of RigL's MNIST runs.</summary>
    public const int RigLMnistSteps = 120_000;

    /// <summary>RigL's MNIST mask updates: every 100 steps, drop fraction 0.3 on a cosine, until step 50,000 of 120,000.</summary>
    public static Methods.DropAndGrowSchedule RigLMnistDropAndGrow { get; } = new(100, 0.3, 50_000.0 / RigLMnistSteps);

    // ImageNet: 1,281,167 training images, so 1,251.1 steps per epoch at batch 1024.
    private const double ImageNetStepsPerEpoch = 1_281_167 / 1024.0;
    private static long ImageNetEpoch(double epochs) => (long)Math.Ceiling(epochs * ImageNetStepsPerEpoch);

    /// <summary>
    /// ResNet-50 on ImageNet as Gale et al. 2019 train it (state_of_sparsity's imagenet_train_eval.py and rn50_baselines.csv,
    /// the recipe of Goyal et al. 2017): 128,000 steps at batch 1024 (about 102 epochs), SGD with Nesterov momentum 0.9,
    /// learning rate 0.1 x 1024/256 = 0.4 warmed up linearly over 5 epochs and multiplied by 0.1 at epochs 30, 60 and 80,
    /// weight decay 1e-4, label smoothing 0.1. Their pruning schedules (begin, end, frequency) are the method's, not the config's.
    /// </summary>
    public static TrainConfig GaleResNet50 { get; } = new()
    {
        Steps = 128_000, BatchSize = 1_024, Optimizer = new Sgd(0.4, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4),
        Schedule = new StepDecay([ImageNetEpoch(30), ImageNetEpoch(60), ImageNetEpoch(80)], 0.1, WarmupSteps: (int)ImageNetEpoch(5)),
        LabelSmoothing = 0.1, EvaluateEvery = 5_000, EvaluationBatchSize = 500,
    };

    /// <summary>
    /// The base Transformer of Vaswani et al. 2017 (section 5.3-5.4): Adam with beta1 0.9, beta2 0.98, epsilon 1e-9, the
    /// inverse square root schedule with 4,000 warm-up steps and peak rate d_model^-0.5 x 4000^-0.5 (d_model 512), label
    /// smoothing 0.1, 100,000 steps. Their batches hold about 25,000 source and 25,000 target tokens, which
    /// <see cref="TrainConfig.BatchSize"/> (examples) does not express; Gale et al. train transformer_base for 500,000
    /// steps at 2,048 tokens a batch (<c>with { Steps = 500_000 }</c>).
    /// </summary>
    public static TrainConfig VaswaniTransformerBase { get; } = new()
    {
        Steps = 100_000, Optimizer = new Adam(1 / Math.Sqrt(512.0 * 4_000), Beta1: 0.9, Beta2: 0.98, Epsilon: 1e-9),
        Schedule = new InverseSquareRootDecay(4_000), LabelSmoothing = 0.1, EvaluateEvery = 5_000,
    };
}
