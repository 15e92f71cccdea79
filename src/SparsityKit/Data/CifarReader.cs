namespace SparsityKit.Data;

/// <summary>
/// Reads CIFAR binary batch files (see <see cref="CifarVersion"/>): fixed-length records with no header, so a file must
/// hold a whole number of records and every label must name a class.
/// </summary>
public static class CifarReader
{
    /// <summary>The pixels ([N, 3, 32, 32] bytes in order) and labels of one batch file.</summary>
    public sealed record Batch(byte[] Pixels, byte[] Labels)
    {
        public int Count => Labels.Length;
    }

    public static Batch Read(string path, CifarVersion version)
    {
        if (!File.Exists(path))
            throw new DataFileException(path, $"file not found ({version.Name} needs {string.Join(", ", version.TrainFiles)} and {version.TestFile}).",
                $"Unpack the official binary archive {version.Archive} and pass the folder {version.Folder} (or its parent).");
        return Parse(File.ReadAllBytes(path), path, version);
    }

    /// <summary>Parses the bytes of a batch file; <paramref name="source"/> names it in errors.</summary>
    public static Batch Parse(byte[] bytes, string source, CifarVersion version)
    {
        string fix = $"The file is damaged or is not a {version.Name} binary batch: unpack {version.Archive} again.";
        int record = version.RecordBytes;
        if (bytes.Length == 0) throw new DataFileException(source, "empty file.", fix);
        if (bytes.Length % record != 0)
            throw new DataFileException(source,
                $"truncated or padded: {bytes.Length} bytes is not a whole number of {record}-byte records " +
                $"({bytes.Length / record} records and {bytes.Length % record} bytes over).", fix);
        int count = bytes.Length / record;
        var labels = new byte[count];
        var pixels = new byte[(long)count * CifarVersion.PixelBytes];
        for (int i = 0; i < count; i++)
        {
            int start = i * record;
            byte label = bytes[start + version.LabelIndex];
            if (label >= version.Classes)
                throw new DataFileException(source,
                    $"record {i} has label {label}, but {version.Name} has {version.Classes} classes (0 to {version.Classes - 1}).",
                    version.LabelBytes == 1 ? fix + " (A CIFAR-100 file has two label bytes per record.)" : fix);
            labels[i] = label;
            Buffer.BlockCopy(bytes, start + version.LabelBytes, pixels, i * CifarVersion.PixelBytes, CifarVersion.PixelBytes);
        }
        return new Batch(pixels, labels);
    }
}
