using System.Buffers.Binary;
using System.IO.Compression;

namespace SparsityKit.Tests;

/// <summary>Builds IDX files and temporary folders for the data tests.</summary>
internal static class TestFiles
{
    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "sparsitykit-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>An unsigned-byte IDX file's bytes: magic 00 00 08 rank, big-endian sizes, values.</summary>
    public static byte[] Idx(int[] shape, byte[] values)
    {
        var bytes = new byte[4 + 4 * shape.Length + values.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), shape[d]);
        values.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }

    public static string Write(string directory, string name, byte[] bytes)
    {
        var path = Path.Combine(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
