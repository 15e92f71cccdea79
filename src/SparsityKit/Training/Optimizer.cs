using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// A first-order optimizer over named parameters. SparsityKit has its own (rather than TorchSharp's) so that
/// the per-weight state of pruned weights (momentum, Adam moments) can be zeroed with a mask, which keeps a
/// pruned weight from coming back by itself.
/// </summary>
public abstract class Optimizer : IDisposable
{
    protected Optimizer(IReadOnlyList<(string Name, Parameter Parameter)> parameters, double learningRate)
    {
        if (parameters.Count == 0) throw new ArgumentException("The model has no trainable parameters.", nameof(parameters));
        Parameters = parameters;
        LearningRate = learningRate;
        _masks = new Tensor?[parameters.Count];
    }

    // The 0/1 mask each parameter trains under (null: none); the tensors belong to whoever set them.
    private readonly Tensor?[] _masks;

    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters { get; }

    /// <summary>The learning rate used by the next step (the trainer sets it from the schedule).</summary>
    public double LearningRate { get; set; }

    /// <summary>
    /// Clears every gradient (sets it to none, as PyTorch 2 does by default): the next backward pass then writes
    /// fresh gradients instead of adding into zeroed ones, which saves two passes over every weight per step.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in Parameters) p.grad = null;
    }

    /// <summary>Applies one update from the current gradients, under each parameter's mask.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        BeginStep();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i].Parameter;
            if (p.grad is not { } grad) continue;
            if (_masks[i] is { } mask) UpdateMasked(i, p, grad, mask);
            else Update(i, p, grad);
        }
    }

    /// <summary>
    /// Trains the named parameter under a 0/1 mask from now on: the optimizer state of its pruned weights is zeroed
    /// now, and every step zeroes their gradients before the update and re-applies the mask to the weights after it,
    /// so a pruned weight cannot come back by itself. The caller keeps the mask alive (and disposes it).
    /// </summary>
    public void SetMask(string parameterName, Tensor mask)
    {
        int index = IndexOf(parameterName);
        SparsityKit.Sparsity.MaskSet.CheckShape(parameterName, mask, Parameters[index].Parameter, "the parameter");
        MaskState(parameterName, mask);
        _masks[index] = mask;
    }

    /// <summary>
    /// Exempts the named parameters from weight decay from now on (the trainer names biases and normalisation parameters
    /// when <see cref="TrainConfig.WeightDecaySkipsBiasesAndNorms"/> is set); every other parameter keeps its decay.
    /// </summary>
    public void ExemptFromWeightDecay(IEnumerable<string> parameterNames)
    {
        _noDecay ??= new bool[Parameters.Count];
        foreach (var name in parameterNames) _noDecay[IndexOf(name)] = true;
    }

    private bool[]? _noDecay;

    /// <summary>The weight decay parameter <paramref name="index"/> takes: the settings' own, or 0 if it is exempt.</summary>
    protected double WeightDecayOf(int index, double weightDecay) => _noDecay is { } exempt && exempt[index] ? 0 : weightDecay;

    /// <summary>Stops masking every parameter (the weights and state stay as they are).</summary>
    public void ClearMasks() => Array.Clear(_masks);

    /// <summary>Called once at the start of every step, before the parameter updates.</summary>
    protected virtual void BeginStep() { }

    /// <summary>Updates parameter <paramref name="index"/> from its gradient; runs under no_grad in a dispose scope.</summary>
    protected abstract void Update(int index, Parameter parameter, Tensor grad);

    /// <summary>
    /// Updates a masked parameter: the gradients of pruned weights reach neither the state nor the update, and the
    /// weights are multiplied by the mask after it. Masking beside the parameter's own update keeps its tensors in
    /// cache; an optimizer that can fold the mask into its update (Adam's fused CPU kernel) overrides this.
    /// </summary>
    protected virtual void UpdateMasked(int index, Parameter parameter, Tensor grad, Tensor mask)
    {
        grad.mul_(mask);
        Update(index, parameter, grad);
        parameter.mul_(mask);
    }

    /// <summary>Multiplies the optimizer's per-weight state for the named parameter by a 0/1 mask.</summary>
    public void MaskState(string parameterName, Tensor mask)
    {
        using var noGrad = no_grad();
        foreach (var state in StateOf(parameterName)) state.mul_(mask);
    }

    /// <summary>The per-weight state tensors of the named parameter (none for plain SGD).</summary>
    internal IEnumerable<Tensor> StateOf(string parameterName) => StateOf(IndexOf(parameterName));

    private int IndexOf(string parameterName)
    {
        for (int i = 0; i < Parameters.Count; i++)
            if (Parameters[i].Name == parameterName) return i;
        throw new ArgumentException($"The optimizer has no parameter named '{parameterName}'.", nameof(parameterName));
    }

    /// <summary>The per-weight state tensors (same shape as the parameter) of parameter <paramref name="index"/>.</summary>
    protected abstract IEnumerable<Tensor> StateOf(int index);

    /// <summary>Steps counted by the optimizer itself (Adam's bias correction); kept in checkpoints.</summary>
    internal virtual long StepCount { get => 0; set { } }

    /// <summary>Every state tensor (moments, momentum), named "parameter#k", for a checkpoint.</summary>
    internal IEnumerable<KeyValuePair<string, Tensor>> StateTensors() =>
        Parameters.SelectMany((np, i) => StateOf(i).Select((t, k) => new KeyValuePair<string, Tensor>($"{np.Name}#{k}", t)));

    /// <summary>Copies a checkpoint's state tensors into this optimizer's (same parameters, same settings).</summary>
    internal void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in StateTensors())
        {
            if (!state.TryGetValue(name, out var saved))
                throw new InvalidDataException($"The checkpoint has no optimizer state '{name}': it was made with another optimizer.");
            tensor.copy_(saved);
        }
    }

    protected static Tensor[] ZerosLike(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        // Made in a scope and detached from it: the optimizer owns them, and nothing is created outside every scope.
        using var scope = NewDisposeScope();
        return parameters.Select(np => zeros_like(np.Parameter).DetachFromDisposeScope()).ToArray();
    }

    public virtual void Dispose() { }
}
