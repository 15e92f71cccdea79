using SparsityKit.Data;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Data;

public class CifarReaderTests
{
    // A batch file in the official format: per record the label byte(s), then the red, green and blue 32x32 planes.
    private static byte[] Batch(CifarVersion version, byte[][] labels, Func<int, int, byte> pixel)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < labels.Length; i++)
        {
            bytes.AddRange(labels[i]);
            for (int p = 0; p < CifarVersion.PixelBytes; p++) bytes.Add(pixel(i, p));
        }
        return [.. bytes];
    }

    // Record i is all red (channel 0 at 255, the others 0) when i is even, all blue when odd; label i % 10.
    // Returns the folder that holds cifar-10-batches-bin.
    internal static string WriteCifar10(int perBatch)
    {
        string root = TestFiles.TemporaryDirectory(), folder = Path.Combine(root, "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        var v = CifarVersion.Cifar10;
        byte Pixel(int i, int p) => (byte)((p / 1024 == (i % 2 == 0 ? 0 : 2)) ? 255 : 0);
        foreach (var file in v.TrainFiles.Append(v.TestFile))
            File.WriteAllBytes(Path.Combine(folder, file), Batch(v, [.. Enumerable.Range(0, perBatch).Select(i => new[] { (byte)(i % 10) })], Pixel));
        return root;
    }

    [Fact]
    public void Cifar10_loads_labels_and_channel_planes_in_the_official_layout()
    {
        string root = WriteCifar10(perBatch: 6);
        using var data = Cifar.Load(root, CifarVersion.Cifar10, CPU);
        Assert.Equal(new long[] { 30, 3, 32, 32 }, data.TrainImages.shape);
        Assert.Equal(new long[] { 6, 3, 32, 32 }, data.TestImages.shape);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 0, 1, 2 }, data.TrainLabels[..9].data<long>().ToArray());
        // Record 0 is red: channel 0 at (1 - mean) / std, channel 2 at (0 - mean) / std; record 1 the other way round.
        var v = CifarVersion.Cifar10;
        Assert.Equal((1 - v.Mean[0]) / v.Std[0], data.TrainImages[0, 0, 5, 7].item<float>(), 4);
        Assert.Equal(-v.Mean[2] / v.Std[2], data.TrainImages[0, 2, 5, 7].item<float>(), 4);
        Assert.Equal((1 - v.Mean[2]) / v.Std[2], data.TrainImages[1, 2, 31, 31].item<float>(), 4);
        // The unpacked folder itself is accepted too.
        using var again = Cifar.Load(Path.Combine(root, "cifar-10-batches-bin"), CifarVersion.Cifar10, CPU);
        Assert.True(again.TrainImages.allclose(data.TrainImages, 0, 0));
    }

    [Fact]
    public void Cifar100_reads_the_fine_label_from_the_second_byte_and_the_coarse_from_the_first()
    {
        string folder = TestFiles.TemporaryDirectory();
        var v = CifarVersion.Cifar100;
        byte[][] labels = [[3, 97], [19, 0], [0, 55]];
        File.WriteAllBytes(Path.Combine(folder, "train.bin"), Batch(v, labels, (i, p) => (byte)(p % 251)));
        File.WriteAllBytes(Path.Combine(folder, "test.bin"), Batch(v, labels[..1], (i, p) => 0));
        using var fine = Cifar.Load(folder, v, CPU);
        Assert.Equal(new long[] { 97, 0, 55 }, fine.TrainLabels.data<long>().ToArray());
        Assert.Equal(100, fine.ClassCount);
        using var coarse = Cifar.Load(folder, CifarVersion.Cifar100Coarse, CPU);
        Assert.Equal(new long[] { 3, 19, 0 }, coarse.TrainLabels.data<long>().ToArray());
    }

    [Fact]
    public void A_truncated_file_is_reported_with_its_record_arithmetic()
    {
        var v = CifarVersion.Cifar10;
        var bytes = Batch(v, [[1], [2]], (i, p) => 7)[..^100];
        var e = Assert.Throws<DataFileException>(() => CifarReader.Parse(bytes, "data_batch_1.bin", v));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("3073-byte records", e.Message);
        Assert.Contains("cifar-10-binary.tar.gz", e.Message);
        Assert.Throws<DataFileException>(() => CifarReader.Parse([], "empty.bin", v));
    }

    [Fact]
    public void A_label_outside_the_classes_names_the_record_and_hints_at_the_other_version()
    {
        var v = CifarVersion.Cifar10;
        var bytes = Batch(v, [[1], [2], [42]], (i, p) => 0);
        var e = Assert.Throws<DataFileException>(() => CifarReader.Parse(bytes, "test_batch.bin", v));
        Assert.Contains("record 2 has label 42", e.Message);
        Assert.Contains("CIFAR-100", e.Message);
    }

    [Fact]
    public void Missing_files_and_a_wrong_archive_get_errors_that_say_what_to_do()
    {
        string empty = TestFiles.TemporaryDirectory();
        var missing = Assert.Throws<DataFileException>(() => Cifar.Load(empty, CifarVersion.Cifar10, CPU));
        Assert.Contains("cifar-10-binary.tar.gz", missing.Message);

        string root = WriteCifar10(perBatch: 2);
        File.Delete(Path.Combine(root, "cifar-10-batches-bin", "data_batch_3.bin"));
        var oneGone = Assert.Throws<DataFileException>(() => Cifar.Load(root, CifarVersion.Cifar10, CPU));
        Assert.EndsWith("data_batch_3.bin", oneGone.FilePath);

        // An archive that is not the official one fails its MD5 before anything is read.
        string withArchive = WriteCifar10(perBatch: 2);
        File.WriteAllBytes(Path.Combine(withArchive, "cifar-10-binary.tar.gz"), [1, 2, 3]);
        var checksum = Assert.Throws<DataFileException>(() => Cifar.Load(withArchive, CifarVersion.Cifar10, CPU));
        Assert.Contains("checksum mismatch", checksum.Message);
        Assert.Contains("c32a1d4ab5d03f1284b67883e8d87530", checksum.Message);
    }
}
