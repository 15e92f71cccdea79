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

    /// <summary>
    /// Adds the method's run-time state (masks, its own generators) to a checkpoint. A method that keeps state outside
    /// the model and the optimizer must save it here and load it in <see cref="LoadState"/>, or a resumed run differs.
    /// </summary>
    public virtual void SaveState(IDictionary<string, Tensor> state) { }

    /// <summary>Restores what <see cref="SaveState"/> saved; called after <see cref="OnStart"/> when a run resumes.</summary>
    public virtual void LoadState(TrainingContext context, IReadOnlyDictionary<string, Tensor> state) { }

    /// <summary>The masks the method ends with (which weights it pruned), or null if it does not prune.</summary>
    public virtual MaskSet? Masks => null;
}
