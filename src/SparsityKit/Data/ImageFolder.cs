using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SparsityKit.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// An image classification data set in ImageNet's layout, <c>root/train/&lt;class&gt;/*.jpg|png</c> and
/// <c>root/val/&lt;class&gt;/...</c>, read from the files as training needs them and never held whole: batches are decoded
/// with SkiaSharp on a background thread, a few ahead (<see cref="ImageFolderOptions.Prefetch"/>), in a seeded order
/// that is a fresh permutation each epoch. Classes are the training folder's sub-folders in ordinal name order.
/// </summary>
public sealed class ImageFolder : IDataSource, IDescribable
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];
    // Made when a run key first asks: it reads every file's size and time, which the counts and classes do not need.
    private readonly Lazy<string> _description;

    private ImageFolder(string root, ImageFolderOptions options, Device device, IReadOnlyList<string> classes,
        IReadOnlyList<(string Path, int Label)> train, IReadOnlyList<(string Path, int Label)> test)
    {
        Root = root;
        Options = options;
        Device = device;
        Classes = classes;
        TrainFiles = train;
        TestFiles = test;
        _description = new(() => Describe(root, options, classes, train, test));
    }

    /// <summary>Scans the folder (files are decoded later, as batches are drawn).</summary>
    /// <exception cref="DirectoryNotFoundException">The root, its training or its test folder is missing.</exception>
    /// <exception cref="InvalidDataException">A class folder holds no JPEG or PNG file, or the test folder names a class training lacks.</exception>
    public static ImageFolder Open(string root, ImageFolderOptions? options = null, Device? device = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The image folder '{root}' does not exist: give the folder that holds " +
                $"{options.TrainFolder}/ and {options.TestFolder}/, each with one folder of JPEG or PNG files per class (ImageNet's layout).");
        var trainRoot = Folder(root, options.TrainFolder, nameof(ImageFolderOptions.TrainFolder));
        var testRoot = Folder(root, options.TestFolder, nameof(ImageFolderOptions.TestFolder));
        var classes = Directory.GetDirectories(trainRoot).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new InvalidDataException($"{trainRoot} has no class folders: put each class's images in a folder of its own ({trainRoot}/<class>/*.jpg).");
        var index = classes.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var train = Files(trainRoot, index, requireAll: true);
        var test = Files(testRoot, index, requireAll: false);
        return new ImageFolder(root, options, Devices.Resolve(device), classes, train, test);
    }

    public string Root { get; }
    public ImageFolderOptions Options { get; }
    public Device Device { get; }

    /// <summary>Class names (the training folder's sub-folders), in label order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Training files and their labels, in ordinal path order.</summary>
    public IReadOnlyList<(string Path, int Label)> TrainFiles { get; }
    public IReadOnlyList<(string Path, int Label)> TestFiles { get; }

    public string Name => Path.GetFileName(Root);
    public long[] ImageShape => [3, Options.Size, Options.Size];
    public int ClassCount => Classes.Count;
    public long TrainCount => TrainFiles.Count;
    public long TestCount => TestFiles.Count;

    public IBatchStream TrainingBatches(int batchSize, long seed, Augmentation? augmentation = null) =>
        new ImageFolderBatches(this, batchSize, seed, augmentation);

    /// <summary>Evenly spaced training files (so every class can be among them), decoded in order.</summary>
    public (Tensor Inputs, Tensor Labels) TrainingProbe(long count)
    {
        int n = (int)Math.Min(count, TrainCount);
        var picked = Enumerable.Range(0, n).Select(i => (int)((long)i * TrainFiles.Count / n)).ToArray();
        return ToDevice(Decode(TrainFiles, picked));
    }

    public IEnumerable<(Tensor Inputs, Tensor Labels)> TestBatches(int batchSize) => InOrder(TestFiles, batchSize);

    /// <summary>None: the held-out folder is the test set.</summary>
    public IEnumerable<(Tensor Inputs, Tensor Labels)>? ValidationBatches(int batchSize) => null;

    /// <summary>
    /// The folder's identity for run keys: the options that change inputs, the classes, and every file's path (relative to
    /// the root), size and modification time, hashed. Another file, a changed file or another crop gives another key.
    /// </summary>
    public string Describe() => _description.Value;

    public override string ToString() =>
        $"{Name}: {TrainCount} train / {TestCount} test images in {ClassCount} classes, {Options.Size}x{Options.Size} " +
        $"(shorter side {Options.ResizeShorterSide}), streamed to {Device}";

    internal DecodedBatch Decode(IReadOnlyList<(string Path, int Label)> files, int[] indices)
    {
        int plane = 3 * Options.Size * Options.Size;
        var pixels = new float[indices.Length * plane];
        var labels = new long[indices.Length];
        var errors = new Exception?[indices.Length];
        Parallel.For(0, indices.Length, new ParallelOptions { MaxDegreeOfParallelism = Options.DecodeThreads }, i =>
        {
            var (path, label) = files[indices[i]];
            labels[i] = label;
            try { ImageDecoder.Decode(path, Options, pixels.AsSpan(i * plane, plane)); }
            catch (Exception e) { errors[i] = e; }
        });
        // The first failure in batch order, so the error names the same file on every run.
        if (errors.FirstOrDefault(e => e is not null) is { } error)
            throw error is InvalidDataException ? error : new InvalidDataException($"{error.Message}", error);
        return new DecodedBatch(pixels, labels);
    }

    internal (Tensor Inputs, Tensor Labels) ToDevice(DecodedBatch batch)
    {
        long n = batch.Labels.Length;
        var inputs = tensor(batch.Pixels, [n, 3, Options.Size, Options.Size]);
        var labels = tensor(batch.Labels);
        if (Device.type == DeviceType.CPU) return (inputs, labels);
        return (inputs.to(Device), labels.to(Device));
    }

    private IEnumerable<(Tensor, Tensor)> InOrder(IReadOnlyList<(string Path, int Label)> files, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        var batches = Enumerable.Range(0, (files.Count + batchSize - 1) / batchSize)
            .Select(b => Enumerable.Range(b * batchSize, Math.Min(batchSize, files.Count - b * batchSize)).ToArray());
        using var prefetcher = new Prefetcher(batches, indices => Decode(files, indices), Options.Prefetch);
        while (prefetcher.Take() is { } batch) yield return ToDevice(batch);
    }

    private static string Folder(string root, string name, string setting)
    {
        var path = Path.Combine(root, name);
        return Directory.Exists(path) ? path
            : throw new DirectoryNotFoundException($"{root} has no '{name}' folder ({setting}): ImageNet's layout is {root}/{name}/<class>/*.jpg; " +
                $"set ImageFolderOptions.{setting} to the folder's name if it is called otherwise.");
    }

    private static List<(string, int)> Files(string folder, Dictionary<string, int> classes, bool requireAll)
    {
        var files = new List<(string, int)>();
        foreach (var directory in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            if (!classes.TryGetValue(name, out int label))
                throw new InvalidDataException($"{directory}: a class that the training folder does not have; the test classes must be training classes " +
                    $"({string.Join(", ", classes.Keys.Take(5))}{(classes.Count > 5 ? ", ..." : "")}).");
            var images = Directory.GetFiles(directory).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal).ToList();
            if (images.Count == 0)
                throw new InvalidDataException($"{directory}: the class folder '{name}' holds no JPEG or PNG files (.jpg, .jpeg, .png): add its images or remove the folder.");
            files.AddRange(images.Select(f => (f, label)));
        }
        if (requireAll && files.Count == 0) throw new InvalidDataException($"{folder} holds no images.");
        if (files.Count == 0)
            throw new InvalidDataException($"{folder} holds no images: put the held-out images in {folder}/<class>/*.jpg.");
        return files;
    }

    private static string Describe(string root, ImageFolderOptions o, IReadOnlyList<string> classes,
        IReadOnlyList<(string Path, int Label)> train, IReadOnlyList<(string Path, int Label)> test)
    {
        string Files(IReadOnlyList<(string Path, int Label)> files)
        {
            var text = new StringBuilder();
            foreach (var (path, label) in files)
            {
                var info = new FileInfo(path);
                text.Append(Path.GetRelativePath(root, path).Replace('\\', '/')).Append('|').Append(label).Append('|')
                    .Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
            }
            return $"{files.Count}:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        }
        static string Numbers(IEnumerable<float> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return $"imagefolder{{name=\"{Path.GetFileName(root)}\";size={o.Size};resize={o.ResizeShorterSide};mean={Numbers(o.Mean)};std={Numbers(o.Std)};" +
            $"classes={string.Join(",", classes)};train={o.TrainFolder}/{Files(train)};test={o.TestFolder}/{Files(test)}}}";
    }
}
