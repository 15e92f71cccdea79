namespace SparsityKit.Sparsity;

/// <summary>
/// How much to prune: a fraction in [0, 1] or an absolute count of weights, as in torch.nn.utils.prune.
/// A fraction s of n weights is round(s * n) weights, rounding halves to even like Python's round.
/// </summary>
public readonly record struct Amount
{
    private Amount(double? fraction, long? count)
    {
        Fraction = fraction;
        Count = count;
    }

    /// <summary>The fraction, when this amount is one.</summary>
    public double? Fraction { get; }

    /// <summary>The absolute number of weights, when this amount is one.</summary>
    public long? Count { get; }

    public static Amount OfFraction(double fraction)
    {
        if (double.IsNaN(fraction) || fraction < 0 || fraction > 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction,
                $"A pruning fraction must lie in [0, 1]; got {fraction}. For an absolute number of weights use Amount.OfCount.");
        return new Amount(fraction, null);
    }

    public static Amount OfCount(long count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "A number of weights to prune must not be negative.");
        return new Amount(null, count);
    }

    public static implicit operator Amount(double fraction) => OfFraction(fraction);

    /// <summary>The number of weights this amount means out of <paramref name="available"/>.</summary>
    public long Of(long available)
    {
        if (Count is { } c)
        {
            if (c > available)
                throw new ArgumentOutOfRangeException(nameof(available), $"Cannot prune {c} weights: only {available} are available.");
            return c;
        }
        return (long)Math.Round(Fraction!.Value * available, MidpointRounding.ToEven);
    }

    public override string ToString() => Count is { } c ? $"{c} weights" : $"{Fraction:P2}";
}
