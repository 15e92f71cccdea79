using SparsityKit.Experiments;
using SparsityKit.Training;

namespace SparsityKit.Clusters;

/// <summary>
/// An experiment as data that any process on any node can rebuild from its file in the run store and run there: a
/// <see cref="SweepPlan"/> or a <see cref="LotteryPlan"/>. <see cref="Cluster.Submit"/> takes either; the worker
/// runs whichever the store holds (<see cref="ClusterPlans.Load"/>).
/// </summary>
public interface IClusterPlan
{
    /// <summary>Names the experiment in records and in the store.</summary>
    string Experiment { get; }

    DataSpec Data { get; }

    /// <summary>libtorch threads per process (results are bit-identical on CPU only at one thread count); null leaves it.</summary>
    int? Threads { get; }

    /// <summary>Runs (records) the plan holds.</summary>
    int RunCount { get; }

    /// <summary>The plan file's name in the store.</summary>
    string FileName { get; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem and the fix; <paramref name="portable"/>: also that
    /// another process can rebuild the plan from its file (no ad-hoc parts).</summary>
    void Validate(bool portable = true);

    string ToJson();

    /// <summary>Writes the plan into the store; a store holds one plan.</summary>
    void Save(RunStore store);

    /// <summary>
    /// The store names of the plan's runs (their keys), in the order of <see cref="Run"/>'s records: progress counts the
    /// records with these names, never records of other settings left in the same store. Loads the data once.
    /// </summary>
    IReadOnlyList<string> RunNames();

    /// <summary>
    /// Runs the part of the plan not in the store yet in this process, sharing the work with other processes on the
    /// store under leases, and returns every record once all are done (polling every <paramref name="poll"/>).
    /// </summary>
    IReadOnlyList<RunRecord> Run(RunStore store, IProgress<TrainingProgress>? progress = null, TimeSpan? poll = null, TrainingLog? log = null);
}
