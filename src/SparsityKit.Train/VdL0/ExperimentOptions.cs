namespace SparsityKit.Train.VdL0;

/// <summary>The settings of one run (or of each trial of a search), from the vdl0 command's options.</summary>
internal sealed record ExperimentOptions
{
    public long Seed { get; init; } = 1;
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 100;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Fraction of training at the full rate before linear decay to zero (Molchanov et al.: 0.5).</summary>
    public double FlatFraction { get; init; } = 0.5;
    public int EvaluateEveryEpochs { get; init; } = 5;
    public int Threads { get; init; } = 1;

    // Variational dropout.
    public double KlWeight { get; init; } = 1;
    public double KlZeroEpochs { get; init; } = 2;
    public double KlRampEpochs { get; init; } = 8;
    public double Threshold { get; init; } = 3;
    /// <summary>Dense epochs before variational dropout starts from the trained weights (0: from scratch).</summary>
    public int PretrainEpochs { get; init; }
    /// <summary>After a run, re-threshold log alpha (no retraining) to each of these sparsities and evaluate.</summary>
    public IReadOnlyList<double> ThresholdSparsities { get; init; } = [];

    // L0.
    public double Lambda { get; init; } = 0.1;
    public double InitialDropRate { get; init; } = 0.5;

    // Searches.
    public double TargetSparsity { get; init; } = 0.95;
    public int MaxTrials { get; init; } = 5;
    public double Tolerance { get; init; } = 0.005;
    public double Factor { get; init; } = 4;
}
