namespace SparsityKit.Methods;

/// <summary>
/// How the KL term of variational dropout is weighted over training, in epochs: 0 for the first
/// <see cref="ZeroEpochs"/>, then rising linearly to 1 over <see cref="RampEpochs"/>, then 1. Starting at 0 lets
/// the network fit the data before the KL term pushes weights to high noise (Molchanov et al.'s <c>rw_linear</c>).
/// </summary>
public sealed record KlSchedule(double ZeroEpochs, double RampEpochs)
{
    /// <summary>Full weight from the first step.</summary>
    public static KlSchedule Constant { get; } = new(0, 0);

    /// <summary>Molchanov et al.'s schedule for 200 epochs: 0 for 5 epochs, then linear to 1 at epoch 20.</summary>
    public static KlSchedule Molchanov { get; } = new(5, 15);

    /// <summary>The weight (0 to 1) at a point of training measured in epochs (fractional).</summary>
    public double Factor(double epoch)
    {
        if (!(ZeroEpochs >= 0)) throw new ArgumentOutOfRangeException(nameof(ZeroEpochs), ZeroEpochs, "Must not be negative.");
        if (!(RampEpochs >= 0)) throw new ArgumentOutOfRangeException(nameof(RampEpochs), RampEpochs, "Must not be negative.");
        if (epoch < ZeroEpochs) return 0;
        if (RampEpochs == 0) return 1;
        return Math.Min(1, (epoch - ZeroEpochs) / RampEpochs);
    }

    public override string ToString() => RampEpochs == 0 && ZeroEpochs == 0 ? "constant" : $"0 for {ZeroEpochs} epochs, then linear to 1 over {RampEpochs}";
}
