namespace SparsityKit.Train.CommandLine;

/// <summary>How training progress shows: a live bar on a terminal, plain lines elsewhere (pipes, log files, CI), or forced.</summary>
public enum ProgressStyle
{
    /// <summary>A live bar when standard output is an interactive terminal that takes ANSI codes; plain lines otherwise.</summary>
    Auto,
    /// <summary>Always the live bar (Spectre.Console).</summary>
    Bar,
    /// <summary>Always plain lines, at most one every few seconds.</summary>
    Lines,
}
