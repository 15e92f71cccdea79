namespace SparsityKit.Experiments;

/// <summary>How long a sparse architecture is trained from scratch (Liu et al. 2019).</summary>
public enum ScratchBudget
{
    /// <summary>Scratch-E: the same number of steps (epochs) as the model it is compared with.</summary>
    SameSteps,
    /// <summary>
    /// Scratch-B: the same training compute. A sparse model costs fewer FLOPs per step, so it trains for
    /// steps x dense FLOPs / sparse FLOPs, at most <see cref="Scratch.DefaultScratchBCap"/> times as long (Liu et al.'s cap).
    /// </summary>
    SameFlops,
}
