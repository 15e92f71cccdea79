using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SparsityKit.Sparsity;

namespace SparsityKit.Experiments;

/// <summary>
/// A folder of finished runs: one JSON record per run, with its masks and weights beside it, keyed by a name
/// made from the run's settings. A record is written last (atomically), so a run either is complete in the
/// store or is computed again; nothing finished is computed twice, and a crash loses only the run in progress.
/// </summary>
public sealed class RunStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public RunStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>A short stable key for a settings description (first 16 hex digits of its SHA-256).</summary>
    public static string KeyOf(string description) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];

    public bool TryLoad(string name, out RunRecord record)
    {
        var path = RecordPath(name);
        record = null!;
        if (!File.Exists(path)) return false;
        record = JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} holds no run record; delete it to recompute the run.");
        return true;
    }

    /// <summary>Writes the record (last, so that its presence means the run is complete).</summary>
    public void Save(string name, RunRecord record)
    {
        var path = RecordPath(name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(record, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>All records in the store (in all experiments), in file-name order.</summary>
    public IReadOnlyList<RunRecord> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories).Order()
            .Select(p => JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(p), Json)!).ToList();

    /// <summary>
    /// Claims a run for this process while it computes it (dispose the claim when done); null if another live
    /// process is computing it. Lets several processes share a store without computing a run twice.
    /// </summary>
    public RunClaim? TryClaim(string name) => RunClaim.TryTake(RecordPath(name) + ".claim");

    /// <summary>Whether another live process is computing the run.</summary>
    public bool IsClaimed(string name) => RunClaim.IsHeldByLiveProcess(RecordPath(name) + ".claim");

    public string MasksPath(string name) => Path.Combine(Directory, name + ".masks.sktf");
    public string WeightsPath(string name) => Path.Combine(Directory, name + ".weights.sktf");

    public void SaveMasks(string name, MaskSet masks) => masks.Save(MasksPath(name));

    public MaskSet LoadMasks(string name, TorchSharp.torch.Device? device = null) => MaskSet.Load(MasksPath(name), device);

    private string RecordPath(string name) => Path.Combine(Directory, name + ".json");
}
