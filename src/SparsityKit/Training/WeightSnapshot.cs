using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// A copy of a model's parameters at one training step, kept on the CPU, for rewinding (lottery tickets)
/// and for comparing runs. Keys are the model's parameter names ("fc1.weight", ...).
/// </summary>
public sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _weights;

    private WeightSnapshot(long step, Dictionary<string, Tensor> weights)
    {
        Step = step;
        _weights = weights;
    }

    /// <summary>The training step the weights were copied at (0 = the initialisation).</summary>
    public long Step { get; }

    /// <summary>A snapshot of weights already copied (a checkpoint's), owned from now on.</summary>
    internal static WeightSnapshot Of(long step, Dictionary<string, Tensor> weights) => new(step, weights);

    public IReadOnlyDictionary<string, Tensor> Weights => _weights;

    public Tensor this[string name] => _weights.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"The snapshot has no parameter '{name}'. It has: {string.Join(", ", _weights.Keys)}.");

    /// <summary>Copies the current parameters of <paramref name="model"/>.</summary>
    public static WeightSnapshot Capture(nn.Module model, long step)
    {
        var weights = new Dictionary<string, Tensor>();
        // The detached view and CPU copy are freed here, not by the finalizer thread while libtorch may still read them.
        using var scope = NewDisposeScope();
        foreach (var (name, p) in model.named_parameters())
            weights[name] = p.detach().cpu().clone().DetachFromDisposeScope();
        return new WeightSnapshot(step, weights);
    }

    /// <summary>Copies the snapshot's values into the model's parameters (all of them, or only those named).</summary>
    public void RestoreInto(nn.Module model, IEnumerable<string>? only = null)
    {
        var wanted = only?.ToHashSet();
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (wanted is not null && !wanted.Contains(name)) continue;
            var saved = this[name];
            if (!saved.shape.SequenceEqual(p.shape))
                throw new ArgumentException($"Parameter '{name}' has shape [{string.Join(", ", p.shape)}] but the snapshot's is [{string.Join(", ", saved.shape)}].");
            p.copy_(saved);
        }
    }

    public void Save(string path)
    {
        using var scope = NewDisposeScope();   // the step's tensor, freed here rather than by the finalizer thread
        TensorFile.Save(path, _weights.Prepend(new("__step__", tensor((float)Step))));
    }

    public static WeightSnapshot Load(string path)
    {
        var weights = TensorFile.Load(path);
        if (!weights.Remove("__step__", out var step)) throw new InvalidDataException($"{path} is not a weight snapshot (no step).");
        long value = (long)step.item<float>();
        step.Dispose();
        return new WeightSnapshot(value, weights);
    }

    public void Dispose()
    {
        foreach (var t in _weights.Values) t.Dispose();
    }
}
