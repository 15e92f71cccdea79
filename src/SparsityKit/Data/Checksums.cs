using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SparsityKit.Data;

/// <summary>Verifies data files against the SHA-256 sums in <c>data/SHA256SUMS</c> (embedded in this assembly).</summary>
public static class Checksums
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Known = new(LoadEmbedded);

    // A file is hashed once per process unless it changes (length or time stamp).
    private static readonly ConcurrentDictionary<string, (long Length, DateTime Written)> Verified = new();

    /// <summary>The expected SHA-256 (lower-case hex) of a file by its path relative to the data folder.</summary>
    public static IReadOnlyDictionary<string, string> Expected => Known.Value;

    /// <summary>Throws <see cref="DataFileException"/> if the file's SHA-256 differs from the expected sum.</summary>
    public static void Verify(string path, string relativeName)
    {
        if (!Expected.TryGetValue(relativeName, out var expected))
            throw new ArgumentException($"No checksum is known for '{relativeName}'.", nameof(relativeName));
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new DataFileException(path, "file not found.",
                "Run ./run.sh or ./test.sh once (or bash scripts/fetch-data.sh) to fetch the data sets into data/.");
        if (Verified.TryGetValue(path, out var seen) && seen == (info.Length, info.LastWriteTimeUtc)) return;

        string actual;
        using (var stream = info.OpenRead()) actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != expected)
            throw new DataFileException(path, $"wrong checksum: SHA-256 {actual}, expected {expected}.",
                "The file is corrupt or a different version: delete it and run bash scripts/fetch-data.sh again.");
        Verified[path] = (info.Length, info.LastWriteTimeUtc);
    }

    private static IReadOnlyDictionary<string, string> LoadEmbedded()
    {
        using var stream = typeof(Checksums).Assembly.GetManifestResourceStream("SparsityKit.SHA256SUMS")
            ?? throw new InvalidOperationException("SHA256SUMS is missing from the SparsityKit assembly.");
        using var reader = new StreamReader(stream);
        var sums = new Dictionary<string, string>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2) sums[parts[1].TrimStart('*')] = parts[0].ToLowerInvariant();
        }
        return sums;
    }
}
