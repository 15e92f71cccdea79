using System.Globalization;
using System.Text;

namespace SparsityKit.Clusters;

/// <summary>Writes the sbatch script of a plan's job array: the options, the set-up lines, and one worker per task.</summary>
internal static class SbatchScript
{
    public static string For(IClusterPlan plan, string store, SlurmOptions options, string dotnet, string workerDll, string workingDirectory, string? dataDirectory)
    {
        var logs = Path.Combine(store, Cluster.LogFolder);
        int cpus = options.CpusPerTask ?? plan.Threads ?? 1;
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine($"# SparsityKit plan '{plan.Experiment}' ({plan.RunCount} runs) as a Slurm job array: each task runs one worker on the");
        s.AppendLine("# shared run store; the workers split the runs between them. Written by Cluster.Submit; submitting it again resumes the plan.");
        s.AppendLine($"#SBATCH --job-name={Safe(options.JobName ?? $"sk-{plan.Experiment}")}");
        s.AppendLine($"#SBATCH --array=0-{options.Tasks - 1}{(options.MaxConcurrent is int k ? $"%{k}" : "")}");
        s.AppendLine("#SBATCH --requeue");
        s.AppendLine("#SBATCH --ntasks=1");
        s.AppendLine($"#SBATCH --cpus-per-task={cpus}");
        s.AppendLine($"#SBATCH --output={Safe(logs)}/%A_%a.out");
        if (options.Partition is { } partition) s.AppendLine($"#SBATCH --partition={Safe(partition)}");
        if (options.Account is { } account) s.AppendLine($"#SBATCH --account={Safe(account)}");
        if (options.TimeLimit is { } time) s.AppendLine($"#SBATCH --time={SlurmTime(time)}");
        if (options.Memory is { } memory) s.AppendLine($"#SBATCH --mem={Safe(memory)}");
        if (options.GpusPerTask is int gpus and > 0) s.AppendLine($"#SBATCH --gpus-per-task={gpus}");
        foreach (var extra in options.ExtraOptions) s.AppendLine($"#SBATCH {extra}");
        s.AppendLine("set -eo pipefail");
        foreach (var line in options.SetupLines) s.AppendLine(line);
        s.AppendLine("# libtorch's idle threads spin otherwise, stealing the cores of other tasks on the node.");
        s.AppendLine("export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}");
        if (dataDirectory is not null) s.AppendLine($"export SPARSITYKIT_DATA={Quote(dataDirectory)}");
        s.AppendLine($"cd {Quote(workingDirectory)}");
        s.AppendLine("echo \"task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname) at $(date -u +%FT%TZ), restart ${SLURM_RESTART_COUNT:-0}\"");
        s.AppendLine($"exec {Quote(dotnet)} {Quote(workerDll)} worker --store {Quote(store)} --poll {options.Poll.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        return s.ToString();
    }

    /// <summary>Slurm's D-HH:MM:SS, rounded up to the minute.</summary>
    public static string SlurmTime(TimeSpan time)
    {
        var minutes = (long)Math.Ceiling(time.TotalMinutes);
        return $"{minutes / 1440}-{minutes / 60 % 24:00}:{minutes % 60:00}:00";
    }

    /// <summary>A single-quoted shell word.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    // #SBATCH lines are not parsed by a shell: a value must be one word.
    private static string Safe(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"')
            ? throw new ArgumentException($"sbatch option value '{value}' must not contain spaces or quotes (Slurm reads #SBATCH lines without a shell); rename the folder or option.")
            : value;
}
