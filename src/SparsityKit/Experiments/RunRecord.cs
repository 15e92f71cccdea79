namespace SparsityKit.Experiments;

/// <summary>
/// Everything one training run produced that an analysis needs, small enough to keep on disk as JSON:
/// what was run (experiment, kind, seed, round, config), how sparse it was, how well it did, and what it cost.
/// Accuracies are fractions in [0, 1]; FLOPs are multiply-accumulates of one forward pass of one example.
/// </summary>
public sealed record RunRecord
{
    public required string Experiment { get; init; }

    /// <summary>What the run is: "dense", "ticket", "reinit", "random-mask", "scratch-e", "scratch-b", a method name...</summary>
    public required string Kind { get; init; }

    public required long Seed { get; init; }

    /// <summary>Pruning round for iterative experiments (0 = dense); 0 otherwise.</summary>
    public int Round { get; init; }

    /// <summary>The sparsity asked for, when a method takes one.</summary>
    public double? TargetSparsity { get; init; }

    /// <summary>Fraction of prunable weights pruned at the end of the run.</summary>
    public required double Sparsity { get; init; }

    public double WeightsRemaining => 1 - Sparsity;

    public IReadOnlyDictionary<string, double> LayerSparsity { get; init; } = new Dictionary<string, double>();

    public required double TestAccuracy { get; init; }
    public required double TestLoss { get; init; }

    /// <summary>Top-5 test accuracy (the label among the five highest logits); null for five classes or fewer, and in
    /// records made before it was kept. Left out of the file when null, so older records keep their checksums.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? TestTop5Accuracy { get; init; }

    /// <summary>The step of minimum validation loss (test loss without a validation set), Frankle and Carbin's early-stopping point.</summary>
    public long EarlyStopStep { get; init; }
    public double EarlyStopTestAccuracy { get; init; }

    public required long Steps { get; init; }
    public long DenseFlops { get; init; }
    public long SparseFlops { get; init; }
    public double CompressionRatio { get; init; }
    public double WallSeconds { get; init; }

    /// <summary>
    /// The canonical description of everything that can change the run's result (model, data, training config, method
    /// with all its settings, seeds), from which its key in the run store is hashed.
    /// </summary>
    public string Config { get; init; } = "";

    /// <summary>The libtorch CPU threads the run trained with: results are bit-identical only at the same count.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// The processor and device the run trained on (<see cref="Experiments.Machine"/>): results are bit-identical at the same
    /// seed and <see cref="Threads"/> on the same kind of processor. Null in records made before it was kept (their files,
    /// and so their checksums, stay as they were written).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Machine { get; init; }

    /// <summary>SHA-256 (first 16 hex digits) of the record's other fields, written by the run store to detect damage.</summary>
    public string? Checksum { get; init; }
}
