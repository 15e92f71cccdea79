namespace SparsityKit.Data;

/// <summary>
/// The layout of one of Krizhevsky's CIFAR data sets in its official binary version (the archives "for C programs"):
/// each record is the label byte(s), then 3,072 pixel bytes (the red, green and blue 32x32 planes, row by row).
/// </summary>
public sealed record CifarVersion
{
    /// <summary>CIFAR-10: cifar-10-binary.tar.gz unpacks to cifar-10-batches-bin/ with data_batch_1..5.bin and test_batch.bin.</summary>
    public static CifarVersion Cifar10 { get; } = new()
    {
        Name = "CIFAR-10", Folder = "cifar-10-batches-bin", Archive = "cifar-10-binary.tar.gz",
        ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530",
        TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"],
        TestFile = "test_batch.bin", LabelBytes = 1, LabelIndex = 0, Classes = 10,
        // Per-channel mean and standard deviation of the 50,000 training images, as commonly used.
        Mean = [0.4914, 0.4822, 0.4465], Std = [0.2470, 0.2435, 0.2616],
    };

    /// <summary>CIFAR-100 with its 100 fine labels: cifar-100-binary.tar.gz unpacks to cifar-100-binary/ with train.bin and test.bin.</summary>
    public static CifarVersion Cifar100 { get; } = new()
    {
        Name = "CIFAR-100", Folder = "cifar-100-binary", Archive = "cifar-100-binary.tar.gz",
        ArchiveMd5 = "03b5dce01913d631647c71ecec9e9cb8",
        TrainFiles = ["train.bin"], TestFile = "test.bin", LabelBytes = 2, LabelIndex = 1, Classes = 100,
        Mean = [0.5071, 0.4865, 0.4409], Std = [0.2673, 0.2564, 0.2762],
    };

    /// <summary>CIFAR-100 with its 20 coarse labels (superclasses), the first label byte.</summary>
    public static CifarVersion Cifar100Coarse { get; } = Cifar100 with { Name = "CIFAR-100 (coarse)", LabelIndex = 0, Classes = 20 };

    public const int ImageSize = 32, Channels = 3, PixelBytes = Channels * ImageSize * ImageSize;

    public required string Name { get; init; }
    /// <summary>The folder the archive unpacks to.</summary>
    public required string Folder { get; init; }
    public required string Archive { get; init; }
    /// <summary>The MD5 the data set's page gives for the archive.</summary>
    public required string ArchiveMd5 { get; init; }
    public required IReadOnlyList<string> TrainFiles { get; init; }
    public required string TestFile { get; init; }
    public required int LabelBytes { get; init; }
    /// <summary>Which label byte is the label (CIFAR-100: 0 coarse, 1 fine).</summary>
    public required int LabelIndex { get; init; }
    public required int Classes { get; init; }
    public required IReadOnlyList<double> Mean { get; init; }
    public required IReadOnlyList<double> Std { get; init; }

    /// <summary>Bytes per record: the label bytes and the pixels.</summary>
    public int RecordBytes => LabelBytes + PixelBytes;
}
