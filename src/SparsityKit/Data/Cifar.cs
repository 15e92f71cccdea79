using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// CIFAR-10 and CIFAR-100 from their official binary version in a folder the user names, as whole normalised tensors:
/// <c>Cifar.Load("/data/cifar", CifarVersion.Cifar10)</c>. The folder may be the unpacked one (cifar-10-batches-bin) or
/// the one holding it; when the official archive lies there too it is checked against the published MD5 first, and
/// unpacked if the files are not there yet.
/// </summary>
public static class Cifar
{
    public static Dataset Load(string folder, CifarVersion version, Device? device = null)
    {
        string data = Locate(folder, version);
        var target = Devices.Resolve(device);
        using var scope = NewDisposeScope();
        var (trainImages, trainLabels) = ToTensors(version.TrainFiles.Select(f => CifarReader.Read(Path.Combine(data, f), version)).ToList(), version, target);
        var (testImages, testLabels) = ToTensors([CifarReader.Read(Path.Combine(data, version.TestFile), version)], version, target);
        var dataset = new Dataset(version.Name, trainImages, trainLabels, testImages, testLabels, version.Classes);
        dataset.DetachAll();
        return dataset;
    }

    /// <summary>The folder holding the batch files: <paramref name="folder"/> itself or its <see cref="CifarVersion.Folder"/>.</summary>
    public static string Locate(string folder, CifarVersion version)
    {
        if (!Directory.Exists(folder))
            throw new DataFileException(folder, "folder not found.", $"Pass the folder that holds {version.Folder} (or {version.Archive}).");
        string archive = Path.Combine(folder, version.Archive);
        if (File.Exists(archive)) VerifyArchive(archive, version);
        foreach (var candidate in new[] { folder, Path.Combine(folder, version.Folder) })
            if (File.Exists(Path.Combine(candidate, version.TestFile))) return candidate;
        if (File.Exists(archive))
        {
            using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
            TarFile.ExtractToDirectory(gzip, folder, overwriteFiles: false);
            return Path.Combine(folder, version.Folder);
        }
        throw new DataFileException(Path.Combine(folder, version.Folder, version.TestFile), $"{version.Name} is not in this folder.",
            $"Download the binary version ({version.Archive}) from the CIFAR page and put it, or the folder {version.Folder} it unpacks to, in {folder}.");
    }

    /// <summary>Throws <see cref="DataFileException"/> unless the archive's MD5 is the published one.</summary>
    public static void VerifyArchive(string archive, CifarVersion version)
    {
        using var stream = File.OpenRead(archive);
        string actual = Convert.ToHexStringLower(MD5.HashData(stream));
        if (actual != version.ArchiveMd5)
            throw new DataFileException(archive, $"checksum mismatch: MD5 {actual}, but the official {version.Archive} has {version.ArchiveMd5}.",
                "The download is incomplete or is another file: download it again.");
    }

    // Bytes [N, 3, 32, 32] to float images normalised per channel, and int64 labels.
    private static (Tensor Images, Tensor Labels) ToTensors(IReadOnlyList<CifarReader.Batch> batches, CifarVersion version, Device device)
    {
        var pixels = cat(batches.Select(b => tensor(b.Pixels, [b.Count, CifarVersion.Channels, CifarVersion.ImageSize, CifarVersion.ImageSize])).ToList(), 0);
        var labels = cat(batches.Select(b => tensor(b.Labels, [(long)b.Count])).ToList(), 0);
        var mean = tensor(version.Mean.Select(m => (float)m).ToArray()).view(1, 3, 1, 1);
        var std = tensor(version.Std.Select(s => (float)s).ToArray()).view(1, 3, 1, 1);
        var images = pixels.to(ScalarType.Float32).div_(255.0).sub_(mean).div_(std);
        return (images.to(device), labels.to(ScalarType.Int64).to(device));
    }
}
