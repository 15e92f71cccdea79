using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using static TorchSharp.torch;

namespace SparsityKit.Clusters;

/// <summary>
/// A plan's data set by name, with every parameter that changes it: <c>mnist</c>, <c>fashion-mnist</c>, <c>cifar10</c> or
/// <c>cifar100</c> (from <see cref="Folder"/>, which every worker must see), <c>image-folder</c> (ImageNet's layout under
/// <see cref="Folder"/>, streamed from disk at <see cref="CropSize"/>), or <c>synthetic</c> (<see cref="Datasets.Synthetic"/>'s
/// sizes, noise and seed), optionally with a validation split (not for an image folder, whose val/ is the test set);
/// or sequence pairs for a Transformer, packed (<see cref="PackedSequencePairs"/>): <c>copy</c> or <c>reverse</c>
/// (<see cref="SequencePairs.Synthetic"/> with <see cref="TrainCount"/>, <see cref="TestCount"/> and <see cref="Seed"/>), or
/// <c>parallel-text</c> (the text file <see cref="Folder"/>).
/// </summary>
public sealed record DataSpec
{
    public required string Name { get; init; }

    /// <summary>Examples split off the training set for validation (0: none), with <see cref="ValidationSeed"/>.</summary>
    public int Validation { get; init; }
    public long ValidationSeed { get; init; }

    // The synthetic set's parameters (ignored for the files).
    public int TrainCount { get; init; } = 600;
    public int TestCount { get; init; } = 200;
    public int ClassCount { get; init; } = 10;
    public int ImageSize { get; init; } = 28;
    public double Noise { get; init; } = 0.5;
    public long Seed { get; init; }

    /// <summary>
    /// CIFAR's folder (holding cifar-10-batches-bin or its archive, as <see cref="Cifar.Load"/> takes), or the image folder's
    /// root (train/ and val/, one folder of images per class): a path every worker sees.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Folder { get; init; }

    /// <summary>An image folder's square crop side (<see cref="ImageFolderOptions.Size"/>); null for 224, ImageNet's.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? CropSize { get; init; }

    public static IReadOnlyList<string> Names { get; } = ["mnist", "fashion-mnist", "cifar10", "cifar100", "image-folder", "synthetic", "copy", "reverse", "parallel-text"];

    public static DataSpec Mnist(int validation = 0) => new() { Name = "mnist", Validation = validation };
    public static DataSpec FashionMnist(int validation = 0) => new() { Name = "fashion-mnist", Validation = validation };

    /// <param name="folder">The folder holding cifar-10-batches-bin (or cifar-10-binary.tar.gz), on a filesystem every worker sees.</param>
    public static DataSpec Cifar10(string folder, int validation = 0) => new() { Name = "cifar10", Folder = Path.GetFullPath(folder), Validation = validation };
    public static DataSpec Cifar100(string folder, int validation = 0) => new() { Name = "cifar100", Folder = Path.GetFullPath(folder), Validation = validation };

    /// <param name="folder">The root holding train/ and val/ with one folder of JPEG or PNG files per class, on a filesystem every worker sees.</param>
    /// <param name="cropSize">Side of the square the model sees (each image resized to 8/7 of it, then center-cropped); null for 224.</param>
    public static DataSpec ImageFolder(string folder, int? cropSize = null) => new() { Name = "image-folder", Folder = Path.GetFullPath(folder), CropSize = cropSize };

    /// <summary>A synthetic sequence task for a Transformer: pairs of 3 to 8 of 10 symbols, the target the source copied or reversed.</summary>
    public static DataSpec Sequences(SequenceTask task, int trainCount = 10_000, int testCount = 1_000, long seed = 0) =>
        new() { Name = task.ToString().ToLowerInvariant(), TrainCount = trainCount, TestCount = testCount, Seed = seed };

    /// <param name="file">A parallel text, one source&lt;TAB&gt;target pair a line (words as tokens, the last tenth the test set), on a filesystem every worker sees.</param>
    public static DataSpec ParallelText(string file) => new() { Name = "parallel-text", Folder = Path.GetFullPath(file) };

    /// <summary>
    /// The data set a command line names (<c>--data NAME --data-dir PATH --image-size N</c>): the folder or file for CIFAR,
    /// an image folder or a parallel text, the crop for an image folder, the synthetic tasks at their defaults.
    /// </summary>
    public static DataSpec Named(string name, string? path = null, int? cropSize = null) => name switch
    {
        "cifar10" or "cifar100" or "image-folder" or "parallel-text" when path is null =>
            throw new ArgumentException($"--data {name} is read from a path you name: add --data-dir PATH.", nameof(path)),
        "cifar10" => Cifar10(path),
        "cifar100" => Cifar100(path),
        "image-folder" => ImageFolder(path, cropSize),
        "parallel-text" => ParallelText(path),
        "copy" => Sequences(SequenceTask.Copy),
        "reverse" => Sequences(SequenceTask.Reverse),
        _ => new DataSpec { Name = name },
    };

    public static DataSpec Synthetic(int trainCount = 600, int testCount = 200, int classCount = 10, int imageSize = 28,
        double noise = 0.5, long seed = 0) =>
        new() { Name = "synthetic", TrainCount = trainCount, TestCount = testCount, ClassCount = classCount, ImageSize = imageSize, Noise = noise, Seed = seed };

    /// <summary>Whether the data comes from files under the data folder (which every worker must then see).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NeedsFiles => Key is "mnist" or "fashion-mnist";

    /// <summary>Examples in the training split (after the validation split): CIFAR's counted from its files' sizes where they are here.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long TrainingExamples => Key switch
    {
        "synthetic" => TrainCount,
        "cifar10" or "cifar100" => CifarTrainingExamples(),
        "image-folder" => OpenImageFolder().TrainCount,
        "copy" or "reverse" => TrainCount,
        "parallel-text" => SequencePairs().Train.Count,
        _ => 60_000,
    } - Validation;

    /// <summary>One image's shape [channels, height, width], known without loading the files.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long[] ImageShape => Key switch
    {
        "synthetic" => [1, ImageSize, ImageSize],
        "cifar10" or "cifar100" => [CifarVersion.Channels, CifarVersion.ImageSize, CifarVersion.ImageSize],
        "image-folder" => [3, FolderOptions.Size, FolderOptions.Size],
        "copy" or "reverse" or "parallel-text" => [2, PackedSequencePairs.Length(SequencePairs())],
        _ => [1, 28, 28],
    };

    /// <summary>The number of classes, known without loading the files (an image folder's: its training class folders).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Classes => Key switch
    {
        "synthetic" => ClassCount,
        "cifar10" or "cifar100" => Cifar.Classes,
        "image-folder" => OpenImageFolder().ClassCount,
        "copy" or "reverse" or "parallel-text" => SequencePairs().Vocabulary.Count,
        _ => 10,
    };

    /// <summary>
    /// Builds the zoo model <paramref name="model"/> for these images and classes: the CIFAR models' default input is
    /// 3x32x32, which a plan on MNIST-shaped data cannot feed.
    /// </summary>
    public ModelFactory ModelFactory(string model, Device device, ILayerFactory? layers = null)
    {
        var (shape, classes) = (ImageShape, Classes);   // once, not per model: an image folder's classes come from a scan
        return seed => Zoo.Create(model, seed, layers, device, shape, classes);
    }

    /// <summary>Throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public void Validate()
    {
        if (!Names.Contains(Key))
            throw new ArgumentException($"Unknown data set '{Name}' in the plan. Known: {string.Join(", ", Names)}.", nameof(Name));
        if (Validation < 0) throw new ArgumentOutOfRangeException(nameof(Validation), Validation, "Use 0 for no validation split.");
        if (Key is "cifar10" or "cifar100" && string.IsNullOrWhiteSpace(Folder))
            throw new ArgumentException($"The plan's data '{Name}' needs a Folder: the directory holding {Cifar.Folder} (or {Cifar.Archive}), " +
                "on a filesystem every worker sees, e.g. DataSpec.Cifar10(\"/shared/data\").", nameof(Folder));
        if (Key == "parallel-text" && string.IsNullOrWhiteSpace(Folder))
            throw new ArgumentException($"The plan's data '{Name}' needs a Folder: the text file itself, one source<TAB>target pair a line, " +
                "on a filesystem every worker sees, e.g. DataSpec.ParallelText(\"/shared/train.de-en.tsv\").", nameof(Folder));
        if (Key != "image-folder") return;
        if (string.IsNullOrWhiteSpace(Folder))
            throw new ArgumentException($"The plan's data '{Name}' needs a Folder: the root holding train/ and val/ with one folder of images per class, " +
                "on a filesystem every worker sees, e.g. DataSpec.ImageFolder(\"/shared/imagenet\").", nameof(Folder));
        if (Validation != 0)
            throw new ArgumentException($"The plan's data '{Name}' has Validation = {Validation}, but an image folder is streamed and has no " +
                "validation split (its val/ folder is the test set): use Validation = 0.", nameof(Validation));
        FolderOptions.Validate();
    }

    /// <summary>Whether <see cref="Load"/> can hold the data as whole tensors (everything but an image folder, which is streamed).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsWholeTensors => Key != "image-folder";

    /// <summary>The data as training reads it: an image folder streamed from disk, any other set loaded (<see cref="Load"/>).
    /// Dispose it when done if it is <see cref="IDisposable"/>.</summary>
    public IDataSource Open(Device? device = null) => IsWholeTensors ? Load(device) : OpenImageFolder(device);

    /// <summary>Loads the data set as whole tensors (dispose it when done); an image folder is refused: use <see cref="Open"/>.</summary>
    public Dataset Load(Device? device = null)
    {
        Validate();
        if (!IsWholeTensors)
            throw new ArgumentException($"The data '{Name}' ({Folder}) is streamed from disk, not held as whole tensors: open it with DataSpec.Open " +
                "(as a SweepPlan does); a lottery plan needs whole tensors for its validation split.", nameof(Name));
        var data = Key switch
        {
            "mnist" => Datasets.Mnist(device),
            "fashion-mnist" => Datasets.FashionMnist(device),
            "cifar10" or "cifar100" => SparsityKit.Data.Cifar.Load(Folder!, Cifar, device),
            "copy" or "reverse" or "parallel-text" => SequencePairs().ToDataset(device),
            _ => Datasets.Synthetic(TrainCount, TestCount, ClassCount, ImageSize, Noise, Seed, device),
        };
        if (Validation == 0) return data;
        using (data) return data.WithValidation(Validation, ValidationSeed);
    }

    private string Key => Name.Trim().ToLowerInvariant();

    // The command line's transform: ImageNet's channel statistics, at the plan's crop.
    private ImageFolderOptions FolderOptions => new() { Size = CropSize ?? 224 };

    // The pairs a sequence set names: the same pairs every time (the synthetic task by its seed, the file as it is). Read
    // once per spec: its sizes, shape, classes and data all come from them, and a corpus is costly to tokenize. Keyed by
    // the instance, so a spec changed with `with` (a new instance) reads its own.
    private SequencePairs SequencePairs() => LoadedPairs.GetValue(this, spec => spec.Key == "parallel-text"
        ? Data.SequencePairs.ReadParallelCorpus(spec.Folder!, Tokenizer.Words, maxVocabulary: 8_192)
        : Data.SequencePairs.Synthetic(spec.Key == "copy" ? SequenceTask.Copy : SequenceTask.Reverse, spec.TrainCount, spec.TestCount,
            symbols: 10, minLength: 3, maxLength: 8, spec.Seed));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DataSpec, SequencePairs> LoadedPairs = new();

    private ImageFolder OpenImageFolder(Device? device = null)
    {
        Validate();
        return SparsityKit.Data.ImageFolder.Open(Folder!, FolderOptions, device);
    }

    private CifarVersion Cifar => Key == "cifar100" ? CifarVersion.Cifar100 : CifarVersion.Cifar10;

    // Records in the training batch files, from their sizes (no decoding); the official count when they are not here.
    private long CifarTrainingExamples()
    {
        var version = Cifar;
        foreach (var folder in Folder is null ? [] : new[] { Folder, Path.Combine(Folder, version.Folder) })
        {
            var files = version.TrainFiles.Select(f => new FileInfo(Path.Combine(folder, f))).ToList();
            if (files.All(f => f.Exists)) return files.Sum(f => f.Length / version.RecordBytes);
        }
        return 50_000;
    }
}
