using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// A training run's whole state in one file (a <see cref="TensorFile"/>, checksummed and published atomically): the
/// session's state (<see cref="TrainingSession.CaptureState"/>) and the loop's (history so far, rewind snapshots,
/// time spent, last reported loss), so that a killed run resumes where its last checkpoint left it.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string Meta = "meta/json";
    // The last reported loss is NaN before the first report.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Save(string path, TrainingSession session, LoopState loop)
    {
        // The state's new tensors (counters, sampler and RNG state) are freed here, not by the finalizer thread while
        // libtorch may still read them; the live ones it refers to (weights, optimizer state) were made outside the scope.
        using var scope = NewDisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>(session.CaptureState());
        foreach (var (step, snapshot) in loop.Snapshots)
            foreach (var (name, weight) in snapshot.Weights) tensors.Add(new($"snapshot/{step}/{name}", weight));
        // Doubles (losses, accuracies) must come back exactly: they travel as JSON text, one byte per element.
        var meta = JsonSerializer.SerializeToUtf8Bytes(new LoopMeta(loop.History, loop.Elapsed.Ticks, loop.LastLoss, loop.LastAccuracy), Json);
        tensors.Add(new(Meta, tensor(meta.Select(b => (float)b).ToArray())));
        TensorFile.Save(path, tensors, label: "checkpoint");
    }

    /// <summary>Restores the session from the file and returns the loop's state; null (after a warning) if it is unreadable.</summary>
    public static LoopState? TryLoad(string path, TrainingSession session, Action<string> warn)
    {
        if (!File.Exists(path)) return null;
        Dictionary<string, Tensor> state;
        try { state = TensorFile.Load(path, expectedLabel: "checkpoint"); }
        catch (InvalidDataException e)
        {
            warn($"{e.Message.Split('\n')[0]} The run starts from step 0.");
            return null;
        }
        try
        {
            var bytes = state[Meta].data<float>().Select(f => (byte)f).ToArray();
            var meta = JsonSerializer.Deserialize<LoopMeta>(Encoding.UTF8.GetString(bytes), Json)!;
            var snapshots = state.Where(kv => kv.Key.StartsWith("snapshot/", StringComparison.Ordinal))
                .GroupBy(kv => long.Parse(kv.Key.Split('/')[1]))
                .ToDictionary(g => g.Key, g => WeightSnapshot.Of(g.Key, g.ToDictionary(kv => kv.Key[(kv.Key.IndexOf('/', 9) + 1)..], kv => kv.Value)));
            session.RestoreState(state);
            foreach (var (name, t) in state)
                if (!name.StartsWith("snapshot/", StringComparison.Ordinal)) t.Dispose();
            return new LoopState(meta.History.ToList(), snapshots, TimeSpan.FromTicks(meta.ElapsedTicks), meta.LastLoss, meta.LastAccuracy);
        }
        catch (Exception e) when (e is KeyNotFoundException or JsonException)
        {
            throw new InvalidDataException($"{path} is not a checkpoint of this run ({e.Message}): delete it to train the run from step 0.", e);
        }
    }

    private sealed record LoopMeta(IReadOnlyList<HistoryRow> History, long ElapsedTicks, double LastLoss, double? LastAccuracy);
}

/// <summary>The training loop's own state between steps.</summary>
internal sealed record LoopState(List<HistoryRow> History, Dictionary<long, WeightSnapshot> Snapshots, TimeSpan Elapsed, double LastLoss, double? LastAccuracy);
