using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Runtime.InteropServices;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>
/// A folder of finished runs: one JSON record per run, with its masks and weights beside it, keyed by a name that
/// ends in the hash of the run's canonical description (<see cref="RunKey"/>). A record is written last, flushed to
/// disk and renamed into place, so a run either is complete in the store or is computed again; every file carries a
/// checksum, and a damaged record is moved aside (named in a warning) and computed again, so nothing is trusted
/// that was not written whole, and nothing written is deleted.
/// </summary>
public sealed class RunStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,   // a diverged run's NaN loss
    };

    public RunStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>
    /// How long a claim may go without being refreshed before another process takes its run over (its owner
    /// refreshes it four times per timeout while the run trains). Raise it on a filesystem with slow metadata.
    /// </summary>
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Where warnings about damaged or inconsistent files go (standard error by default).</summary>
    public Action<string> Warn { get; init; } = message => Console.Error.WriteLine($"warning: {message}");

    /// <summary>Called with a run's name after its record is saved (a progress display, a log of what was computed).</summary>
    public Action<string>? Saved { get; init; }

    /// <summary>A short stable key for a settings description (first 16 hex digits of its SHA-256).</summary>
    public static string KeyOf(string description) => CanonicalDescription.Hash(description);

    /// <summary>
    /// Loads a finished run. A record that is damaged (truncated, altered) is moved aside to <c>*.damaged</c>, named in a
    /// warning, and reported missing, so the run is computed again. A claim its dead owner left on a finished run is
    /// removed: nothing would claim the run again to clean it up.
    /// </summary>
    public bool TryLoad(string name, out RunRecord record)
    {
        var path = RecordPath(name);
        record = null!;
        if (!File.Exists(path)) return false;
        if (Read(path) is not { } loaded)
        {
            var aside = $"{path}.{DateTime.UtcNow:yyyyMMddTHHmmss}.damaged";
            try { File.Move(path, aside); } catch (IOException) { }   // another process may have moved it already
            Warn($"{path} was damaged (unreadable or its checksum does not match); moved to {aside}, the run is computed again.");
            return false;
        }
        record = loaded;
        RemoveStaleClaim(name);
        return true;
    }

    /// <summary>
    /// Writes the record with its checksum (last, so that its presence means the run is complete), then removes the
    /// run's checkpoint, which it no longer needs.
    /// </summary>
    public void Save(string name, RunRecord record)
    {
        DurableFile.WriteAllText(RecordPath(name), Serialize(record));
        File.Delete(CheckpointPath(name));
        Saved?.Invoke(name);
    }

    /// <summary>Where a run's mid-training checkpoint lives while it trains (see <see cref="Training.TrainConfig.CheckpointEvery"/>).</summary>
    public string CheckpointPath(string name) => Checked(name, ".checkpoint.sktf");

    /// <summary>
    /// Records of one training measured several ways (a method measured at every target), written as one file before
    /// the single records, so that a crash between the single records never means training again.
    /// </summary>
    public void SaveGroup(string name, IReadOnlyList<RunRecord> records) =>
        DurableFile.WriteAllText(GroupPath(name), "[" + string.Join(",", records.Select(Serialize)) + "]");

    /// <summary>The records of a group written by <see cref="SaveGroup"/>, or null if there is none (or it is damaged).</summary>
    public IReadOnlyList<RunRecord>? TryLoadGroup(string name)
    {
        var path = GroupPath(name);
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var records = document.RootElement.EnumerateArray().Select(e => Verified(e.GetRawText())).ToList();
            if (records.All(r => r is not null)) return records!;
        }
        catch (JsonException) { }
        Warn($"{path} is damaged; its training is computed again.");
        return null;
    }

    /// <summary>
    /// Keeps a group's trained model (parameters and buffers, labelled with the group's name) beside its records, so
    /// that measuring the same training another way (another measurement setting, whose runs have other keys) needs no
    /// training. A local cache: the committed stores ignore these files (a ResNet-20 with variational dropout: 2 MB).
    /// </summary>
    public void SaveTrainedModel(string name, nn.Module model) =>
        TensorFile.Save(TrainedModelPath(name), model.named_parameters().Select(p => KeyValuePair.Create($"parameter/{p.name}", (Tensor)p.parameter))
            .Concat(model.named_buffers().Select(b => KeyValuePair.Create($"buffer/{b.name}", b.buffer))), label: name);

    /// <summary>
    /// Loads a group's trained model saved by <see cref="SaveTrainedModel"/> into <paramref name="model"/> (built as the
    /// training built it); false if there is none, or (after a warning) if it is damaged or does not fit the model.
    /// </summary>
    public bool TryLoadTrainedModel(string name, nn.Module model)
    {
        var path = TrainedModelPath(name);
        if (!File.Exists(path)) return false;
        try
        {
            var state = TensorFile.Load(path, expectedLabel: name);
            try
            {
                using var noGrad = no_grad();
                foreach (var (parameter, value) in model.named_parameters()) value.copy_(state[$"parameter/{parameter}"]);
                foreach (var (buffer, value) in model.named_buffers()) value.copy_(state[$"buffer/{buffer}"]);
            }
            finally
            {
                foreach (var tensor in state.Values) tensor.Dispose();
            }
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or KeyNotFoundException or ArgumentException or ExternalException)
        {
            Warn($"{path} could not be loaded ({e.Message.Split('\n')[0]}); its training is computed again.");
            return false;
        }
    }

    /// <summary>All readable records in the store (in all experiments), in file-name order; damaged ones are named in a warning.</summary>
    public IReadOnlyList<RunRecord> All()
    {
        var records = new List<RunRecord>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories).Order())
        {
            if (path.EndsWith(".group.json", StringComparison.Ordinal) || path.EndsWith(".plan.json", StringComparison.Ordinal)) continue;
            if (Read(path) is { } record) records.Add(record);
            else Warn($"{path} is damaged and was left out: delete it (or run the experiment again, which moves it aside) to recompute the run.");
        }
        return records;
    }

    /// <summary>
    /// Claims a run for this process while it computes it (dispose the claim when done): a lease, refreshed while held,
    /// that another process takes over once it is not refreshed within <see cref="LeaseTimeout"/>; null if another
    /// live process holds it. Lets several processes, on one machine or many, share a store without computing a run twice.
    /// </summary>
    /// <param name="folder">A folder of the store whose files all belong to this claim (a lottery seed's), cleaned up with it.</param>
    public RunClaim? TryClaim(string name, string? folder = null)
    {
        var claim = RunClaim.TryTake(RecordPath(name) + ".claim", LeaseTimeout);
        if (claim is null) return null;
        // The owner removes what a writer of this run killed before its rename left behind.
        RemoveTemporaries(name);
        if (folder is not null) DurableFile.RemoveTemporaries(Checked(folder, ""), "*.tmp");
        return claim;
    }

    /// <summary>
    /// Removes the temporary files a writer of run <paramref name="name"/>'s files left when killed before its rename.
    /// Call it only while holding the claim that covers the run (its own, or its group's).
    /// </summary>
    public void RemoveTemporaries(string name) =>
        DurableFile.RemoveTemporaries(Path.GetDirectoryName(Path.Combine(Directory, name))!, Path.GetFileName(name) + ".*.tmp");

    /// <summary>
    /// Removes the run's claim if its owner is gone: one killed after it saved, before it let go, whose run is never
    /// claimed again (<see cref="TryLoad"/> calls it; so does a sweep for a group's one training). A live claim stays.
    /// </summary>
    public void RemoveStaleClaim(string name) => RunClaim.RemoveIfStale(RecordPath(name) + ".claim", LeaseTimeout);

    /// <summary>Whether the run's record is in the store (present, not yet checked: <see cref="TryLoad"/> checks it).</summary>
    public bool Contains(string name) => File.Exists(RecordPath(name));

    /// <summary>Whether another live process is computing the run.</summary>
    public bool IsClaimed(string name) => RunClaim.IsHeld(RecordPath(name) + ".claim", LeaseTimeout);

    public string MasksPath(string name) => Checked(name, ".masks.sktf");
    public string WeightsPath(string name) => Checked(name, ".weights.sktf");

    /// <summary>
    /// Saves masks one bit a weight, labelled with the run they belong to, so masks copied from another run are refused on
    /// load. Bits keep stores small enough to commit (a LeNet-300-100 mask: 33 KB).
    /// </summary>
    public void SaveMasks(string name, MaskSet masks) => TensorFile.Save(MasksPath(name), masks.Entries, label: name, encoding: TensorEncoding.Bits);

    public MaskSet LoadMasks(string name, TorchSharp.torch.Device? device = null) => MaskSet.Load(MasksPath(name), device, expectedLabel: name);

    private string RecordPath(string name) => Checked(name, ".json");
    private string GroupPath(string name) => Checked(name, ".group.json");
    private string TrainedModelPath(string name) => Checked(name, ".trained.sktf");

    // A name is a relative path inside the store; "../" or an absolute path would write elsewhere.
    private string Checked(string name, string extension)
    {
        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || name.Split('/', '\\').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"'{name}' is not a valid run name in the store {Directory}: use a relative path of plain names " +
                "(letters, digits, '-', '_', '/'), with no '..', empty or absolute parts.", nameof(name));
        return Path.Combine(Directory, name + extension);
    }

    private static string Serialize(RunRecord record) =>
        JsonSerializer.Serialize(record with { Checksum = ChecksumOf(record) }, Json);

    private static RunRecord? Read(string path)
    {
        try { return Verified(File.ReadAllText(path)); }
        catch (IOException) { return null; }
    }

    // A record whose checksum does not match its fields was altered or cut; one from before checksums is trusted as before.
    private static RunRecord? Verified(string json)
    {
        try
        {
            var record = JsonSerializer.Deserialize<RunRecord>(json, Json);
            if (record is null) return null;
            return record.Checksum is null || record.Checksum == ChecksumOf(record) ? record : null;
        }
        catch (JsonException) { return null; }
    }

    private static string ChecksumOf(RunRecord record) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record with { Checksum = null }, Json))))[..16];
}
