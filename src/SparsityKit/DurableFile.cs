namespace SparsityKit;

/// <summary>
/// Publishes a file so that a reader sees either the old contents or the whole new contents: written to a temporary
/// name of its own (two writers never share one), flushed to disk (fsync), then renamed into place. A crash leaves at
/// most a temporary file, which the next write of the same file removes.
/// </summary>
public static class DurableFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(contents);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        RemoveOldTemporaries(path);
    }

    public static void WriteAllText(string path, string contents) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(contents));

    // Temporaries of this file left by a writer killed before its rename; an hour old, so no live writer still owns them.
    private static void RemoveOldTemporaries(string path) =>
        RemoveTemporaries(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(path) + ".*.tmp", TimeSpan.FromHours(1));

    /// <summary>Deletes the temporaries in <paramref name="folder"/> matching <paramref name="pattern"/> at least <paramref name="age"/> old.</summary>
    internal static void RemoveTemporaries(string folder, string pattern, TimeSpan age = default)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var leftover in Directory.EnumerateFiles(folder, pattern))
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(leftover) >= age)
                try { File.Delete(leftover); } catch (IOException) { }
    }
}
