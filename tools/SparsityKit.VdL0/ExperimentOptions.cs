namespace SparsityKit.VdL0;

/// <summary>The settings of one run (or of each trial of a search), from the command line.</summary>
internal sealed record ExperimentOptions
{
    public string Command { get; init; } = "";
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

    public const string Usage = """
        usage: SparsityKit.VdL0 COMMAND [options]
          vd          train LeNet-300-100 on MNIST with sparse variational dropout
          l0          train LeNet-300-100 on MNIST with per-weight L0 regularization
          vd-search   search the KL weight for --target sparsity (one vd run per trial)
          l0-search   search lambda for --target sparsity (one l0 run per trial)
        common:   --seed S (1) --epochs E (30) --batch B (100) --lr R (1e-3) --flat F (0.5: flat, then linear to 0)
                  --evaluate-every E (5 epochs) --threads T (1)
        vd:       --kl-weight W (1) --kl-zero-epochs Z (2) --kl-ramp-epochs R (8) --threshold T (3) --pretrain-epochs P (0)
                  --threshold-sparsities 0.9,0.95,0.99 (after training, move the log-alpha threshold to each and evaluate)
        l0:       --lambda L (0.1) --drop-rate P (0.5)
        search:   --target S (0.95) --trials N (5) --tolerance T (0.005) --factor F (4); the knob starts at --kl-weight / --lambda
        """;

    public static ExperimentOptions Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("No command given.");
        var options = new ExperimentOptions { Command = args[0] };
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"Option {name} needs a value.");
            string value = args[++i];
            double Number() => double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            options = name switch
            {
                "--seed" => options with { Seed = long.Parse(value) },
                "--epochs" => options with { Epochs = int.Parse(value) },
                "--batch" => options with { BatchSize = int.Parse(value) },
                "--lr" => options with { LearningRate = Number() },
                "--flat" => options with { FlatFraction = Number() },
                "--evaluate-every" => options with { EvaluateEveryEpochs = int.Parse(value) },
                "--threads" => options with { Threads = int.Parse(value) },
                "--kl-weight" => options with { KlWeight = Number() },
                "--kl-zero-epochs" => options with { KlZeroEpochs = Number() },
                "--kl-ramp-epochs" => options with { KlRampEpochs = Number() },
                "--threshold" => options with { Threshold = Number() },
                "--pretrain-epochs" => options with { PretrainEpochs = int.Parse(value) },
                "--threshold-sparsities" => options with { ThresholdSparsities = value.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList() },
                "--lambda" => options with { Lambda = Number() },
                "--drop-rate" => options with { InitialDropRate = Number() },
                "--target" => options with { TargetSparsity = Number() },
                "--trials" => options with { MaxTrials = int.Parse(value) },
                "--tolerance" => options with { Tolerance = Number() },
                "--factor" => options with { Factor = Number() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        return options;
    }
}
