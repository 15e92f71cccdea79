// --data and --data-dir as the training, lottery and sweep commands take them: MNIST and Fashion-MNIST come from the
// repository's data/ folder; CIFAR (and, for training, an image folder) from a folder the user names.
using System.CommandLine;
using System.CommandLine.Parsing;

namespace SparsityKit.Train.CommandLine;

public sealed class DataOptions
{
    /// <summary>The data sets in the repository's data/ folder.</summary>
    public static readonly IReadOnlyList<string> Repository = ["mnist", "fashion-mnist"];

    private readonly IReadOnlyList<string> _fromFolder;

    /// <param name="imageFolder">Whether the command also takes an ImageNet-layout folder (a stream, not whole tensors).</param>
    public DataOptions(bool imageFolder = false)
    {
        _fromFolder = imageFolder ? ["cifar10", "cifar100", "image-folder"] : ["cifar10", "cifar100"];
        Names = [.. Repository, .. _fromFolder];
        Data = Options.Choice("--data", $"Data set: mnist (default), fashion-mnist, or {Either(_fromFolder)} (from --data-dir)", Names, "--dataset");
        Directory = Options.Text("--data-dir", $"With --data {string.Join("|", _fromFolder)}: the folder holding " +
            "CIFAR's binary version (cifar-10-batches-bin or cifar-10-binary.tar.gz, checked against the official MD5)" +
            (imageFolder ? ", or train/ and val/ with one folder of JPEG or PNG files per class (ImageNet's layout), streamed from disk" : ""), "DIR");
    }

    /// <summary>Every name --data takes.</summary>
    public IReadOnlyList<string> Names { get; }

    public Option<string?> Data { get; }
    public Option<string?> Directory { get; }

    /// <summary>Whether <paramref name="name"/> is read from --data-dir.</summary>
    public bool FromFolder(string? name) => name is not null && _fromFolder.Contains(name);

    /// <summary>Refuses a data set read from a folder without --data-dir, and --data-dir without one.</summary>
    public void Check(CommandResult command)
    {
        string data = command.GetValue(Data) ?? "mnist";
        bool folderGiven = command.GetResult(Directory) is { Implicit: false };
        if (FromFolder(data) && !folderGiven)
            command.AddError($"--data {data} is read from a folder you name: add --data-dir DIR, the folder holding {Contents(data)}.");
        if (!FromFolder(data) && folderGiven)
            command.AddError($"--data-dir applies with --data {Either(_fromFolder)} (mnist and fashion-mnist come from the repository's data/ folder): " +
                "drop --data-dir or add --data cifar10.");
    }

    private static string Contents(string data) => data switch
    {
        "cifar10" => "cifar-10-batches-bin or cifar-10-binary.tar.gz",
        "cifar100" => "cifar-100-binary or cifar-100-binary.tar.gz",
        _ => "train/ and val/ with one folder of images per class",
    };

    private static string Either(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"{string.Join(", ", names.SkipLast(1))} or {names[^1]}";
}
