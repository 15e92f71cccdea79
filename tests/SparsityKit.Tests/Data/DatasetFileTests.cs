using SparsityKit.Data;
using TorchSharp;

namespace SparsityKit.Tests.Data;

public class DatasetFileTests
{
    [Fact]
    public void Image_and_label_count_mismatch_names_both_files()
    {
        var images = new IdxArray(new byte[3 * 4], [3, 2, 2]);
        var labels = new IdxArray(new byte[2], [2]);
        var e = Assert.Throws<DataFileException>(() => Datasets.FromIdx(images, "imgs", labels, "lbls", 0, 1, torch.CPU));
        Assert.Contains("count mismatch", e.Message);
        Assert.Contains("imgs", e.Message);
        Assert.Contains("lbls", e.Message);
    }

    [Fact]
    public void Idx_bytes_become_normalised_images_and_int64_labels()
    {
        var images = new IdxArray([0, 255, 51, 102], [1, 2, 2]);
        var labels = new IdxArray([7], [1]);
        var (x, y) = Datasets.FromIdx(images, "i", labels, "l", mean: 0.5, std: 0.5, torch.CPU);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, x.shape);
        Assert.Equal(new[] { -1f, 1f, -0.6f, -0.2f }, x.data<float>().ToArray().Select(v => MathF.Round(v, 5)));
        Assert.Equal(torch.ScalarType.Int64, y.dtype);
        Assert.Equal(7L, y[0].item<long>());
    }

    [Fact]
    public void Wrong_checksum_is_reported_with_both_sums_and_the_fix()
    {
        var dir = TestFiles.TemporaryDirectory();
        var path = TestFiles.Write(dir, "mnist/t10k-labels-idx1-ubyte", TestFiles.Idx([2], [1, 2]));
        var e = Assert.Throws<DataFileException>(() => Checksums.Verify(path, "mnist/t10k-labels-idx1-ubyte"));
        Assert.Contains("wrong checksum", e.Message);
        Assert.Contains(Checksums.Expected["mnist/t10k-labels-idx1-ubyte"], e.Message);
        Assert.Contains("fetch-data.sh", e.Message);
    }

    [Fact]
    public void Missing_data_folder_contents_name_the_fetch_command()
    {
        var e = Assert.Throws<DataFileException>(() => Datasets.Mnist(torch.CPU, TestFiles.TemporaryDirectory()));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("fetch-data.sh", e.Message);
    }

    [Fact]
    public void Checksums_cover_all_eight_data_files()
    {
        Assert.Equal(8, Checksums.Expected.Count);
        Assert.All(Checksums.Expected.Values, sum => Assert.Matches("^[0-9a-f]{64}$", sum));
    }
}
