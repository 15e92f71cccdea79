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
}
