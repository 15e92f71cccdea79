using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// A 0/1 mask per prunable parameter, keyed by the parameter's state-dict name ("fc1.weight"), in the
/// model's layer order. Masks are float tensors on the model's device, applied by multiplication, and saved
/// beside (never inside) the model's weights so a saved model still loads into a plain model.
/// </summary>
public sealed class MaskSet : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _masks;

    /// <summary>Takes ownership of the given 0/1 tensors (checked).</summary>
    public MaskSet(IEnumerable<KeyValuePair<string, Tensor>> masks)
    {
        _masks = masks.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.to(ScalarType.Float32).DetachFromDisposeScope())).ToList();
        if (_masks.Select(m => m.Key).Distinct().Count() != _masks.Count) throw new ArgumentException("A mask set names a parameter twice.");
        foreach (var (name, mask) in _masks)
        {
            using var scope = NewDisposeScope();
            if (!mask.eq(Scalars.Zero).logical_or(mask.eq(Scalars.One)).all().item<bool>())
                throw new ArgumentException($"The mask for '{name}' has values other than 0 and 1.");
        }
    }

    /// <summary>All-ones masks (nothing pruned) for the prunable parameters of a model.</summary>
    public static MaskSet Ones(nn.Module model, Prunable? prunable = null)
    {
        // Here and in To and Clone: the constructor keeps float32 handles, and the scope frees the tensors it was given
        // (left to the finalizer thread, one can be freed while libtorch still reads it).
        using var scope = NewDisposeScope();
        return new((prunable ?? Prunable.Default).Select(model).Select(p => new KeyValuePair<string, Tensor>(p.Name, ones_like(p.Parameter))));
    }

    public IReadOnlyList<string> Names => _masks.Select(m => m.Key).ToList();

    public int Count => _masks.Count;

    public Tensor this[string name] => _masks.FirstOrDefault(m => m.Key == name).Value
        ?? throw new KeyNotFoundException($"No mask for '{name}'. Masks exist for: {string.Join(", ", Names)}.");

    public IEnumerable<KeyValuePair<string, Tensor>> Entries => _masks;

    /// <summary>Zeroes the pruned weights of <paramref name="model"/> in place.</summary>
    public void ApplyTo(nn.Module model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, mask) in _masks)
        {
            if (!parameters.TryGetValue(name, out var p))
                throw new ArgumentException($"The model has no parameter '{name}' to mask.");
            CheckShape(name, mask, p, "the parameter");
            p.mul_(mask.device == p.device ? mask : mask.to(p.device));
        }
    }

    /// <summary>Weights kept by both mask sets (same parameter names required).</summary>
    public MaskSet Intersect(MaskSet other)
    {
        if (!Names.SequenceEqual(other.Names)) throw new ArgumentException("Mask sets cover different parameters; cannot intersect.");
        using var scope = NewDisposeScope();
        return new MaskSet(_masks.Select(m => new KeyValuePair<string, Tensor>(m.Key, m.Value.mul(other[m.Key].to(m.Value.device)))));
    }

    /// <summary>A copy of these masks on another device.</summary>
    public MaskSet To(Device device)
    {
        using var scope = NewDisposeScope();
        return new(_masks.Select(m => new KeyValuePair<string, Tensor>(m.Key, m.Value.to(device).clone())));
    }

    public MaskSet Clone()
    {
        using var scope = NewDisposeScope();
        return new(_masks.Select(m => new KeyValuePair<string, Tensor>(m.Key, m.Value.clone())));
    }

    /// <summary>Kept and total weights of each masked parameter.</summary>
    public IReadOnlyList<LayerSparsity> Layers
    {
        get
        {
            using var scope = NewDisposeScope();
            return _masks.Select(m => new LayerSparsity(m.Key, (long)m.Value.sum().item<float>(), m.Value.numel())).ToList();
        }
    }

    public long Kept => Layers.Sum(l => l.Kept);
    public long Total => Layers.Sum(l => l.Total);

    /// <summary>Fraction of the masked weights that are pruned.</summary>
    public double Sparsity
    {
        get
        {
            var layers = Layers;
            long total = layers.Sum(l => l.Total);
            return total == 0 ? 0 : 1 - (double)layers.Sum(l => l.Kept) / total;
        }
    }

    /// <summary>
    /// Throws unless <paramref name="mask"/> has exactly the shape of <paramref name="target"/>: a transposed mask has the
    /// right number of elements, and anything that flattens it would silently mask the wrong weights.
    /// </summary>
    internal static void CheckShape(string name, Tensor mask, Tensor target, string targetName)
    {
        if (!mask.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"The mask for '{name}' has shape [{string.Join(", ", mask.shape)}] but {targetName}'s is " +
                $"[{string.Join(", ", target.shape)}]{(mask.numel() == target.numel() ? " (the same number of elements: a transposed or reshaped mask?)" : "")}. " +
                "Use masks computed for this model (Prune.* on it, or MaskSet.Ones).");
    }

    /// <summary>Throws unless every mask has the shape of the same-named tensor in <paramref name="targets"/>.</summary>
    internal void CheckShapes(IEnumerable<(string Name, Tensor Tensor)> targets, string targetName)
    {
        foreach (var (name, target) in targets)
            if (_masks.FirstOrDefault(m => m.Key == name).Value is { } mask) CheckShape(name, mask, target, targetName);
    }

    /// <summary>Saves the masks; <see cref="TensorEncoding.Bits"/> stores one bit a weight (what run stores use).</summary>
    public void Save(string path, TensorEncoding encoding = TensorEncoding.Float32) => TensorFile.Save(path, _masks, encoding: encoding);

    /// <summary>Loads masks saved by <see cref="Save"/>; a file of anything else (weights, a snapshot) is rejected naming the path.</summary>
    /// <param name="expectedLabel">If given, the file must carry this label (<see cref="TensorFile.Load"/>).</param>
    public static MaskSet Load(string path, Device? device = null, string? expectedLabel = null)
    {
        // The loaded tensors are freed with this scope: the masks are the constructor's float32 handles to them.
        using var scope = NewDisposeScope();
        var tensors = TensorFile.Load(path, device, expectedLabel);
        foreach (var t in tensors.Values) t.MoveToOtherDisposeScope(scope);
        try
        {
            return new MaskSet(tensors);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path} is not a mask file: {e.Message} A mask file holds one 0/1 tensor per pruned " +
                "parameter, as MaskSet.Save writes it; weights saved with WeightSnapshot.Save load with WeightSnapshot.Load.", e);
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"layer",-24} {"kept",10} {"total",10} {"sparsity",9}");
        var layers = Layers;
        foreach (var l in layers) text.AppendLine($"{l.Name,-24} {l.Kept,10} {l.Total,10} {l.Sparsity,9:P2}");
        var all = new LayerSparsity("total", layers.Sum(l => l.Kept), layers.Sum(l => l.Total));
        text.Append($"{all.Name,-24} {all.Kept,10} {all.Total,10} {all.Sparsity,9:P2}");
        return text.ToString();
    }

    public void Dispose()
    {
        foreach (var m in _masks) m.Value.Dispose();
    }
}
