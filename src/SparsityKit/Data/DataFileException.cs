namespace SparsityKit.Data;

/// <summary>A data file is missing or malformed. The message names the file, the problem and the fix.</summary>
public sealed class DataFileException(string path, string problem, string fix)
    : Exception($"{path}: {problem} {fix}")
{
    /// <summary>The file that is missing or malformed.</summary>
    public string FilePath { get; } = path;
}
