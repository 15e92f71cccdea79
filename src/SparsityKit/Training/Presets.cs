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
}
