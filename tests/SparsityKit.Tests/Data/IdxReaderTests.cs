using SparsityKit.Data;

namespace SparsityKit.Tests.Data;

public class IdxReaderTests
{
    private static readonly byte[] SixValues = [1, 2, 3, 4, 250, 255];

    [Fact]
    public void Reads_raw_idx_shape_and_values()
    {
        var path = TestFiles.Write(TestFiles.TemporaryDirectory(), "images", TestFiles.Idx([3, 1, 2], SixValues));
        var idx = IdxReader.Read(path);
        Assert.Equal(new[] { 3, 1, 2 }, idx.Shape);
        Assert.Equal(SixValues, idx.Values);
        Assert.Equal(3, idx.Count);
    }

    [Fact]
    public void Reads_gzipped_idx_like_raw()
    {
        var path = TestFiles.Write(TestFiles.TemporaryDirectory(), "labels.gz", TestFiles.Gzip(TestFiles.Idx([6], SixValues)));
        var idx = IdxReader.Read(path);
        Assert.Equal(new[] { 6 }, idx.Shape);
        Assert.Equal(SixValues, idx.Values);
    }

    [Fact]
    public void Missing_file_names_the_file_and_the_command_that_fetches_it()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "train-images-idx3-ubyte");
        var e = Assert.Throws<DataFileException>(() => IdxReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("fetch-data.sh", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x00, 0x08, 0x01 }, "bad magic number")]
    [InlineData(new byte[] { 0x00, 0x00, 0x0D, 0x01 }, "unsupported IDX element type 0x0D")]
    [InlineData(new byte[] { 0x00, 0x00, 0x08, 0x09 }, "9 dimensions")]
    [InlineData(new byte[] { 0x00, 0x00 }, "truncated")]
    public void Bad_header_is_rejected_with_the_problem_named(byte[] header, string expected)
    {
        var bytes = header.Concat(new byte[8]).ToArray();
        if (header.Length < 4) bytes = header;
        var e = Assert.Throws<DataFileException>(() => IdxReader.Parse(bytes, "file.idx"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("file.idx", e.Message);
    }

    [Fact]
    public void Truncated_values_are_reported_with_counts()
    {
        var bytes = TestFiles.Idx([3, 1, 2], SixValues)[..^2];
        var e = Assert.Throws<DataFileException>(() => IdxReader.Parse(bytes, "x"));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("6 values", e.Message);
        Assert.Contains("only 4 follow", e.Message);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        var bytes = TestFiles.Idx([6], SixValues).Concat(new byte[] { 7 }).ToArray();
        var e = Assert.Throws<DataFileException>(() => IdxReader.Parse(bytes, "x"));
        Assert.Contains("1 unexpected bytes", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_reported_as_such()
    {
        var gz = TestFiles.Gzip(TestFiles.Idx([6], SixValues));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] ^= 0x5A;
        var path = TestFiles.Write(TestFiles.TemporaryDirectory(), "x.gz", gz);
        var e = Assert.Throws<DataFileException>(() => IdxReader.Read(path));
        Assert.Contains(path, e.Message);
    }
}
