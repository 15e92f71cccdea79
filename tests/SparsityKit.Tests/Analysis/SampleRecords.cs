using SparsityKit.Experiments;

namespace SparsityKit.Tests.Analysis;

/// <summary>Run records made by hand, with known accuracies, for tables and charts.</summary>
internal static class SampleRecords
{
    public const long DenseFlops = 266_200;

    public static RunRecord Make(string kind, long seed, double sparsity, double accuracy, double? target = null, int round = 0,
        double? earlyStop = null) => new()
    {
        Experiment = "test", Kind = kind, Seed = seed, Round = round, TargetSparsity = target, Sparsity = sparsity,
        TestAccuracy = accuracy, TestLoss = 0.1, EarlyStopTestAccuracy = earlyStop ?? accuracy, Steps = 100,
        DenseFlops = DenseFlops, SparseFlops = (long)Math.Round(DenseFlops * (1 - sparsity)), CompressionRatio = 1 / (1 - sparsity + 1e-9),
    };

    /// <summary>Two methods at two sparsities, two seeds each: magnitude beats random except at 50%.</summary>
    public static List<RunRecord> Sweep() =>
    [
        Make("magnitude", 1, 0.5, 0.98, 0.5), Make("magnitude", 2, 0.5, 0.96, 0.5),
        Make("magnitude", 1, 0.9, 0.97, 0.9), Make("magnitude", 2, 0.9, 0.95, 0.9),
        Make("random", 1, 0.5, 0.99, 0.5), Make("random", 2, 0.5, 0.99, 0.5),
        Make("random", 1, 0.9, 0.90, 0.9), Make("random", 2, 0.9, 0.80, 0.9),
    ];
}
