namespace SparsityKit.Sparsity;

/// <summary>How structured pruning scores a unit (a neuron's row of weights, a convolution's filter).</summary>
public enum UnitNorm
{
    /// <summary>Sum of |w| (Li et al. 2017's filter norm).</summary>
    L1,
    /// <summary>Square root of the sum of w squared.</summary>
    L2,
}
