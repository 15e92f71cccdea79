using System.Collections;
using System.Collections.Specialized;
using SparsityKit.Checkpoints;
using SparsityKit.Sparsity;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SparsityKit.Interop;

/// <summary>
/// Pruned models to and from PyTorch through TorchSharp.PyBridge: a state_dict file that <c>torch.load</c> reads (plain,
/// or in <c>torch.nn.utils.prune</c>'s form) and safetensors. Parameter names are the model's, which follow PyTorch's for
/// the same architecture ("fc1.weight"), so a PyTorch module with the same attribute names loads the file as it is.
/// </summary>
public static class PyTorchFiles
{
    private const string OriginalSuffix = "_orig", MaskSuffix = "_mask";

    /// <summary>A state_dict (torch.save format) with the pruned weights zero.</summary>
    public static void SaveStateDict(string path, nn.Module model, MaskSet? masks = null)
    {
        var entries = new OrderedDictionary();
        foreach (var (name, value) in PlainEntries(model, masks)) entries[name] = value;
        Write(path, stream => PyTorchPickler.PickleStateDict(stream, entries, leaveOpen: true));
    }

    /// <summary>
    /// A state_dict in the form <c>torch.nn.utils.prune</c> gives a pruned module: each masked "<c>name</c>" saved as
    /// "<c>name</c>_orig" (the weights) and a "<c>name</c>_mask" buffer, whose product is the pruned weight.
    /// </summary>
    public static void SavePrunedStateDict(string path, nn.Module model, MaskSet masks)
    {
        var entries = new OrderedDictionary();
        var masked = masks.Names.ToHashSet();
        foreach (var (name, value) in model.state_dict())
        {
            if (!masked.Contains(name))
            {
                entries[name] = RowMajorCopy(value);
                continue;
            }
            entries[name + OriginalSuffix] = RowMajorCopy(value);
            using (var mask = masks[name].detach().to(value.dtype)) entries[name + MaskSuffix] = RowMajorCopy(mask);
        }
        var missing = masked.Where(n => !entries.Contains(n + MaskSuffix)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"Masks name parameters the model does not have: {string.Join(", ", missing)}.");
        Write(path, stream => PyTorchPickler.PickleStateDict(stream, entries, leaveOpen: true));
    }

    /// <summary>The plain state_dict (pruned weights zero) as safetensors.</summary>
    public static void SaveSafetensors(string path, nn.Module model, MaskSet? masks = null)
    {
        var entries = PlainEntries(model, masks).ToDictionary(e => e.Key, e => e.Value);
        Write(path, stream => Safetensors.SaveStateDict(stream, entries, leaveOpen: true));
    }

    /// <summary>
    /// Reads a state_dict file (torch.save format, or safetensors when the name ends in .safetensors), plain or in
    /// prune form: "<c>name</c>_orig" and "<c>name</c>_mask" become "<c>name</c>" (their product) and a mask.
    /// Masks is null when the file has none.
    /// </summary>
    public static (Dictionary<string, Tensor> StateDict, MaskSet? Masks) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"State-dict file not found: {path}", path);
        Dictionary<string, Tensor> raw;
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) raw = Safetensors.LoadStateDict(path);
        else
        {
            raw = [];
            foreach (DictionaryEntry e in PyTorchUnpickler.UnpickleStateDict(path))
                raw[(string)e.Key] = e.Value as Tensor ?? throw new InvalidDataException($"{path}: entry '{e.Key}' is not a tensor.");
        }
        var result = new Dictionary<string, Tensor>();
        var masks = new List<KeyValuePair<string, Tensor>>();
        foreach (var (key, value) in raw)
        {
            if (key.EndsWith(MaskSuffix) && raw.ContainsKey(key[..^MaskSuffix.Length] + OriginalSuffix)) continue;
            if (key.EndsWith(OriginalSuffix) && raw.TryGetValue(key[..^OriginalSuffix.Length] + MaskSuffix, out var mask))
            {
                var name = key[..^OriginalSuffix.Length];
                result[name] = value.mul(mask);
                masks.Add(new(name, mask));
                continue;
            }
            result[key] = value;
        }
        return (result, masks.Count == 0 ? null : new MaskSet(masks));
    }

    /// <summary>
    /// Loads a PyTorch state_dict file into <paramref name="model"/> (names and shapes must match) and returns the masks
    /// of a prune-form file, or null for a plain one (prune the loaded model with <see cref="Prune"/> as any other).
    /// </summary>
    public static MaskSet? LoadInto(nn.Module model, string path)
    {
        var (stateDict, masks) = Read(path);
        var order = model.named_parameters().Select(p => p.name).ToList();
        var ordered = stateDict.OrderBy(e => order.IndexOf(e.Key) is var i && i < 0 ? int.MaxValue : i).ToList();
        SparseCheckpoint.Assign(model, ordered, path);
        if (masks is null) return null;
        // In the model's order (a pickled dict comes back unordered).
        using (masks) return new MaskSet(masks.Entries.OrderBy(e => order.IndexOf(e.Key)).Select(e => new KeyValuePair<string, Tensor>(e.Key, e.Value.clone())));
    }

    private static IEnumerable<KeyValuePair<string, Tensor>> PlainEntries(nn.Module model, MaskSet? masks)
    {
        var masked = masks?.Names.ToHashSet() ?? [];
        foreach (var (name, value) in model.state_dict())
        {
            if (!masked.Contains(name)) { yield return new(name, RowMajorCopy(value)); continue; }
            using var pruned = value.detach().mul(masks![name].to(value.device));
            yield return new(name, RowMajorCopy(pruned));
        }
    }

    // A CPU copy in row-major order: PyBridge writes a tensor's storage as it lies in memory and refuses any other
    // layout, such as channels-last kernels (TrainConfig.ChannelsLast).
    private static Tensor RowMajorCopy(Tensor value)
    {
        using var cpu = value.detach().cpu();
        return cpu.is_contiguous() ? cpu.clone() : cpu.contiguous();
    }

    private static void Write(string path, Action<Stream> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary)) write(stream);
        File.Move(temporary, path, overwrite: true);
    }
}
