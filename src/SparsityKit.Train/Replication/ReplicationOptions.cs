namespace SparsityKit.Train.Replication;

/// <summary>Settings shared by the replication experiments (the replicate command's options).</summary>
public sealed record ReplicationOptions(IReadOnlyList<long> Seeds, int? Steps, int? Rounds, int Threads, string Store, bool ScratchB = true, int Schedule = 1)
{
    /// <summary>Seeds 1, 2, 3 on one thread, finished runs kept in results/replication.</summary>
    public static ReplicationOptions Default { get; } = new([1, 2, 3], null, null, 1, "results/replication");
}
