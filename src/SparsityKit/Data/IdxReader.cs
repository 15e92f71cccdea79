using System.Buffers.Binary;
using System.IO.Compression;

namespace SparsityKit.Data;

/// <summary>
/// Reads IDX files (the MNIST format: a 4-byte magic number, big-endian dimension sizes, then the values),
/// raw or gzip-compressed. Only the unsigned-byte element type (0x08) is supported, which is what the
/// MNIST and Fashion-MNIST files use.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;
    private const string RefetchFix = "Delete it and run the set-up again (./run.sh or ./test.sh) to fetch a fresh copy.";

    /// <summary>Reads an IDX file; a file that starts with the gzip signature is decompressed first.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path))
            throw new DataFileException(path, "file not found.",
                "Run ./run.sh or ./test.sh once (or bash scripts/fetch-data.sh) to fetch the data sets into data/.");
        return Parse(ReadAllBytes(path), path);
    }

    /// <summary>Parses the bytes of an (uncompressed) IDX file; <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4)
            throw new DataFileException(source, $"truncated: {bytes.Length} bytes, too short for an IDX header.", RefetchFix);
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new DataFileException(source,
                $"bad magic number 0x{bytes[0]:X2}{bytes[1]:X2}{bytes[2]:X2}{bytes[3]:X2}: not an IDX file (it must start with two zero bytes).",
                RefetchFix);
        if (bytes[2] != UnsignedByteType)
            throw new DataFileException(source,
                $"unsupported IDX element type 0x{bytes[2]:X2}; only unsigned bytes (0x08) are supported.", RefetchFix);

        int rank = bytes[3];
        if (rank is < 1 or > 4)
            throw new DataFileException(source, $"bad magic number: {rank} dimensions (expected 1 to 4).", RefetchFix);
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new DataFileException(source, $"truncated: {bytes.Length} bytes, the header alone needs {headerLength}.", RefetchFix);

        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d, 4));
            if (shape[d] < 0)
                throw new DataFileException(source, $"corrupt header: dimension {d} has negative size {shape[d]}.", RefetchFix);
            count *= shape[d];
        }

        long expected = headerLength + count;
        if (bytes.Length < expected)
            throw new DataFileException(source,
                $"truncated: the header promises {count} values ({string.Join(" x ", shape)}) but only {bytes.Length - headerLength} follow.",
                RefetchFix);
        if (bytes.Length > expected)
            throw new DataFileException(source, $"{bytes.Length - expected} unexpected bytes after the {count} values.", RefetchFix);

        return new IdxArray(bytes[headerLength..], shape);
    }

    private static byte[] ReadAllBytes(string path)
    {
        var raw = File.ReadAllBytes(path);
        bool gzip = raw.Length >= 2 && raw[0] == 0x1F && raw[1] == 0x8B;
        if (!gzip) return raw;
        try
        {
            using var input = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, $"corrupt gzip stream ({e.Message}).", RefetchFix);
        }
    }
}
