namespace SparsityKit.Clusters;

/// <summary>A submitted (or, with <see cref="JobId"/> null, dry-run) job array running a plan on a store.</summary>
/// <param name="JobId">Slurm's array job id; null for a dry run.</param>
/// <param name="Plan">The plan, as saved in the store.</param>
/// <param name="Store">The run store folder the workers share.</param>
/// <param name="Tasks">Array tasks (workers).</param>
/// <param name="ScriptPath">The sbatch script written into the store.</param>
/// <param name="Script">Its text.</param>
public sealed record SlurmJob(string? JobId, IClusterPlan Plan, string Store, int Tasks, string ScriptPath, string Script)
{
    /// <summary>The output file of one task (the worker's console, with its errors).</summary>
    public string OutputOf(int task) => Path.Combine(Store, Cluster.LogFolder, $"{JobId}_{task}.out");

    public override string ToString() =>
        JobId is null ? $"dry run: {Tasks} tasks for plan '{Plan.Experiment}' ({Plan.RunCount} runs); script {ScriptPath}"
                      : $"job {JobId}: {Tasks} tasks for plan '{Plan.Experiment}' ({Plan.RunCount} runs) on {Store}";
}
