using SparsityKit.Sparsity;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// A sparsification technique as a hook into the training loop, which knows nothing of magnitudes, variational
/// dropout or L0. A method may add a term to the loss, act after each optimizer step (re-apply or update
/// masks), and finish at the end. The default of every hook does nothing, so dense training uses none.
/// </summary>
public abstract class TrainingMethod
{
    /// <summary>A short name for tables and run records.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Before the first step (after step-0 snapshots).</summary>
    public virtual void OnStart(TrainingContext context) { }

    /// <summary>A term to add to the data loss this step (inside the step's dispose scope), or null for none.</summary>
    public virtual Tensor? LossTerm(TrainingContext context) => null;

    /// <summary>After the backward pass, before the optimizer step (gradients are in place).</summary>
    public virtual void BeforeStep(TrainingContext context) { }

    /// <summary>After each optimizer step; <see cref="TrainingContext.Step"/> already counts it.</summary>
    public virtual void AfterStep(TrainingContext context) { }

    /// <summary>After the last step, before the final evaluation.</summary>
    public virtual void OnEnd(TrainingContext context) { }

    /// <summary>The masks the method ends with (which weights it pruned), or null if it does not prune.</summary>
    public virtual MaskSet? Masks => null;
}
