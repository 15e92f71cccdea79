// --data and --data-dir as the training, lottery and sweep commands take them: MNIST and Fashion-MNIST come from the
// repository's data/ folder; CIFAR (and, for training and sweeps, an image folder at --image-size) from a folder the user names;
// for training, sequence pairs for the Transformer too: a synthetic copy or reverse task, or a parallel text file.
using System.CommandLine;
using System.CommandLine.Parsing;

namespace SparsityKit.Train.CommandLine;

public sealed class DataOptions
{
    /// <summary>The data sets in the repository's data/ folder.</summary>
    public static readonly IReadOnlyList<string> Repository = ["mnist", "fashion-mnist"];

    /// <summary>Sequence pairs for the Transformer: synthetic tasks, and a parallel text file (from --data-dir).</summary>
    public static readonly IReadOnlyList<string> SequenceSets = ["copy", "reverse", "parallel-text"];

    private readonly IReadOnlyList<string> _fromFolder;

    /// <param name="imageFolder">Whether the command also takes an ImageNet-layout folder (a stream, not whole tensors).</param>
    /// <param name="sequences">Whether the command also takes sequence pairs for the Transformer (<see cref="SequenceSets"/>).</param>
    public DataOptions(bool imageFolder = false, bool sequences = false)
    {
        _fromFolder = [.. (string[])["cifar10", "cifar100"], .. imageFolder ? ["image-folder"] : Array.Empty<string>(), .. sequences ? ["parallel-text"] : Array.Empty<string>()];
        Names = [.. Repository, .. _fromFolder, .. sequences ? ["copy", "reverse"] : Array.Empty<string>()];
        Data = Options.Choice("--data", $"Data set: mnist (default), fashion-mnist, or {Either(_fromFolder)} (from --data-dir)" +
            (sequences ? "; for transformer-small and transformer-base, copy or reverse (synthetic sequence pairs) or parallel-text" : ""), Names, "--dataset");
        Directory = Options.Text("--data-dir", $"With --data {string.Join("|", _fromFolder)}: the folder holding " +
            "CIFAR's binary version (cifar-10-batches-bin or cifar-10-binary.tar.gz, checked against the official MD5)" +
            (imageFolder ? ", or train/ and val/ with one folder of JPEG or PNG files per class (ImageNet's layout), streamed from disk" : "") +
            (sequences ? "; with parallel-text the text file itself, one source<TAB>target pair a line" : ""), "DIR");
        ImageSize = imageFolder ? Options.Int("--image-size",
            "With --data image-folder: side of the square the model sees (default 224; each image is resized to 8/7 of it, then center-cropped)", 1, "224") : null;
    }

    /// <summary>Every name --data takes.</summary>
    public IReadOnlyList<string> Names { get; }

    public Option<string?> Data { get; }
    public Option<string?> Directory { get; }

    /// <summary>--image-size, for commands that take an image folder; null for the others.</summary>
    public Option<int?>? ImageSize { get; }

    /// <summary>Whether <paramref name="name"/> is sequence pairs (for a Transformer), not images.</summary>
    public static bool IsSequences(string? name) => name is not null && SequenceSets.Contains(name);

    /// <summary>Whether <paramref name="name"/> is read from --data-dir.</summary>
    public bool FromFolder(string? name) => name is not null && _fromFolder.Contains(name);

    /// <summary>Refuses a data set read from a folder without --data-dir, and --data-dir without one.</summary>
    public void Check(CommandResult command)
    {
        string data = command.GetValue(Data) ?? "mnist";
        bool folderGiven = command.GetResult(Directory) is { Implicit: false };
        if (FromFolder(data) && !folderGiven)
            command.AddError(data == "parallel-text"
                ? "--data parallel-text is read from a file you name: add --data-dir FILE, the text file with one source<TAB>target pair a line."
                : $"--data {data} is read from a folder you name: add --data-dir DIR, the folder holding {Contents(data)}.");
        if (!FromFolder(data) && folderGiven)
            command.AddError($"--data-dir applies with --data {Either(_fromFolder)} (mnist and fashion-mnist come from the repository's data/ folder): " +
                "drop --data-dir or add --data cifar10.");
        if (ImageSize is not null && command.GetResult(ImageSize) is { Implicit: false } && data != "image-folder")
            command.AddError($"--image-size applies with --data image-folder only (--data {data} has its own size): drop --image-size or use --data image-folder.");
    }

    /// <summary>Refuses an image model on sequence pairs and a Transformer on images (an unknown model is the option's own error).</summary>
    public static void CheckModel(CommandResult command, string? model, string data)
    {
        SparsityKit.Models.ZooModel entry;
        try { entry = SparsityKit.Models.Zoo.Find(model ?? "lenet300-100"); }
        catch (ArgumentException) { return; }
        if (entry.TakesTokens == IsSequences(data)) return;
        command.AddError(entry.TakesTokens
            ? $"--model {model} takes token sequences, not --data {data}: use --data copy, reverse or parallel-text (with --data-dir FILE)."
            : $"--data {data} is sequence pairs, for transformer-small or transformer-base, not the image model {entry.Name}: add --model transformer-small, or use image data.");
    }

    private static string Contents(string data) => data switch
    {
        "cifar10" => "cifar-10-batches-bin or cifar-10-binary.tar.gz",
        "cifar100" => "cifar-100-binary or cifar-100-binary.tar.gz",
        _ => "train/ and val/ with one folder of images per class",
    };

    private static string Either(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"{string.Join(", ", names.SkipLast(1))} or {names[^1]}";
}
