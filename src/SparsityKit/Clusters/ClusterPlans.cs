using System.Text.Json;
using SparsityKit.Experiments;

namespace SparsityKit.Clusters;

/// <summary>Finds and reads the plan of a store, whichever kind it is, and keeps a store to one plan.</summary>
public static class ClusterPlans
{
    /// <summary>The plan saved in the store (<c>sweep.plan</c> or <c>lottery.plan</c>); a clear error if there is none, or two.</summary>
    public static IClusterPlan Load(RunStore store)
    {
        var sweep = Path.Combine(store.Directory, SweepPlan.FileName);
        var lottery = Path.Combine(store.Directory, LotteryPlan.FileName);
        return (File.Exists(sweep), File.Exists(lottery)) switch
        {
            (true, false) => SweepPlan.FromJson(File.ReadAllText(sweep), sweep),
            (false, true) => LotteryPlan.FromJson(File.ReadAllText(lottery), lottery),
            (true, true) => throw new InvalidDataException($"{store.Directory} holds two plans, {SweepPlan.FileName} and {LotteryPlan.FileName}; " +
                "a store holds one. Move one of them (with its records) to a store folder of its own."),
            _ => throw new FileNotFoundException($"No plan in {store.Directory} (expected {SweepPlan.FileName} or {LotteryPlan.FileName}). " +
                "Save one with plan.Save(store) or submit it with Cluster.Submit, and point the worker at that store.", sweep),
        };
    }

    /// <summary>A plan file written by <c>plan.ToJson()</c>: a lottery plan if it has a <c>Lottery</c> section, else a sweep plan.</summary>
    public static IClusterPlan FromFile(string path)
    {
        var json = File.ReadAllText(path);
        bool lottery;
        try
        {
            using var document = JsonDocument.Parse(json);
            lottery = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(nameof(LotteryPlan.Lottery), out _);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a plan (not JSON: {e.Message}). Write one with plan.ToJson().", e);
        }
        return lottery ? LotteryPlan.FromJson(json, path) : SweepPlan.FromJson(json, path);
    }

    /// <summary>Writes a plan's file into the store atomically: refused if the store holds another plan.</summary>
    internal static void Save(IClusterPlan plan, RunStore store)
    {
        plan.Validate();
        var path = Path.Combine(store.Directory, plan.FileName);
        var other = new[] { SweepPlan.FileName, LotteryPlan.FileName }.Where(n => n != plan.FileName)
            .Select(n => Path.Combine(store.Directory, n)).FirstOrDefault(File.Exists);
        if (other is not null)
            throw new InvalidOperationException($"{store.Directory} already holds the plan {other}. A store holds one plan: use another store folder for this one.");
        var json = plan.ToJson();
        if (File.Exists(path))
        {
            if (File.ReadAllText(path) == json) return;
            throw new InvalidOperationException($"{path} holds another plan. A store holds one plan: use another store folder for this one, " +
                $"or delete that {plan.FileName} to replace it (records of runs that are in both plans are kept and reused).");
        }
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
    }
}
