using SkiaSharp;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Data;

/// <summary>The image-folder stream on JPEG and PNG files generated here in ImageNet's layout.</summary>
public class ImageFolderTests
{
    private static readonly SKColor[] ClassColors = [new(220, 30, 30), new(30, 200, 40), new(40, 60, 230)];
    private static readonly ImageFolderOptions Small = new() { Size = 16, ResizeTo = 16, Mean = [0.5f, 0.5f, 0.5f], Std = [0.25f, 0.25f, 0.25f], Prefetch = 2, DecodeThreads = 2 };

    /// <summary>root/train/&lt;class&gt;/ with <paramref name="perClass"/> images, root/val/&lt;class&gt;/ with 2; sizes and formats vary.</summary>
    internal static string MakeFolder(int perClass = 8)
    {
        var root = TestFiles.TemporaryDirectory();
        var random = new Random(1);
        for (int c = 0; c < ClassColors.Length; c++)
            foreach (var (split, count) in new[] { ("train", perClass), ("val", 2) })
                for (int i = 0; i < count; i++)
                {
                    bool jpeg = i % 2 == 1;
                    var path = Path.Combine(root, split, $"class{c}", $"img{i:00}.{(jpeg ? "jpg" : "png")}");
                    WriteImage(path, 20 + random.Next(20), 20 + random.Next(20), (x, y) => Jitter(ClassColors[c], random.Next(-20, 20)), jpeg);
                }
        return root;
    }

    private static SKColor Jitter(SKColor color, int amount) =>
        new((byte)Math.Clamp(color.Red + amount, 0, 255), (byte)Math.Clamp(color.Green + amount, 0, 255), (byte)Math.Clamp(color.Blue + amount, 0, 255));

    private static void WriteImage(string path, int width, int height, Func<int, int, SKColor> pixel, bool jpeg = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, pixel(x, y));
        using var data = bitmap.Encode(jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void Opens_classes_and_files_in_ordinal_order()
    {
        var folder = ImageFolder.Open(MakeFolder(), Small, CPU);
        Assert.Equal(["class0", "class1", "class2"], folder.Classes);
        Assert.Equal(24, folder.TrainCount);
        Assert.Equal(6, folder.TestCount);
        Assert.Equal([3L, 16, 16], folder.ImageShape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i / 8), folder.TrainFiles.Select(f => f.Label));
    }

    [Fact]
    public void Decodes_resizes_center_crops_and_normalises()
    {
        var root = TestFiles.TemporaryDirectory();
        // 64 x 32: resized to a shorter side of 16 (32 x 16), the center 16 columns are the green band.
        WriteImage(Path.Combine(root, "train", "a", "bands.png"), 64, 32, (x, y) => x < 16 ? SKColors.Red : x < 48 ? new SKColor(0, 255, 0) : SKColors.Blue);
        WriteImage(Path.Combine(root, "val", "a", "grey.png"), 16, 16, (x, y) => new SKColor(51, 102, 204));
        var folder = ImageFolder.Open(root, Small, CPU);
        using var scope = NewDisposeScope();
        var (band, label) = folder.TrainingProbe(1);
        Assert.Equal(0, label.item<long>());
        var expectedBand = tensor(new[] { -2f, 2f, -2f }).view(1, 3, 1, 1).expand(1, 3, 16, 16);   // (0 - 0.5) / 0.25, (1 - 0.5) / 0.25
        Assert.True(band.allclose(expectedBand, rtol: 0, atol: 1e-5), "the crop is not the center band, or the channels are out of order");
        var (grey, _) = Assert.Single(folder.TestBatches(4));
        var expectedGrey = tensor(new[] { (0.2f - 0.5f) / 0.25f, (0.4f - 0.5f) / 0.25f, (0.8f - 0.5f) / 0.25f }).view(1, 3, 1, 1).expand(1, 3, 16, 16);
        Assert.True(grey.allclose(expectedGrey, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void The_stream_is_deterministic_for_a_seed_visits_each_file_once_per_epoch_and_resumes_from_its_state()
    {
        var folder = ImageFolder.Open(MakeFolder(), Small, CPU);
        using var scope = NewDisposeScope();
        List<(Tensor Inputs, Tensor Labels)> Take(long seed, int count)
        {
            using var stream = folder.TrainingBatches(6, seed, Augmentation.CropAndFlip(2));
            return Enumerable.Range(0, count).Select(_ => stream.Next()).ToList();
        }
        var a = Take(3, 10);   // 2.5 epochs of 4 batches
        var b = Take(3, 10);
        var other = Take(4, 10);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(a[i].Inputs.IsSameAs(b[i].Inputs).item<bool>(), $"batch {i} differs for the same seed");
            Assert.True(a[i].Labels.IsSameAs(b[i].Labels).item<bool>());
        }
        Assert.Contains(Enumerable.Range(0, a.Count), i => !a[i].Labels.IsSameAs(other[i].Labels).item<bool>());
        foreach (int epoch in new[] { 0, 1 })
        {
            var labels = cat(a.Skip(4 * epoch).Take(4).Select(x => x.Labels).ToList(), 0).data<long>().ToArray();
            Assert.Equal([8, 8, 8], labels.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        }

        using var stream = (ImageFolderBatches)folder.TrainingBatches(6, 3, Augmentation.CropAndFlip(2));
        Assert.NotEqual(stream.EpochOrder(0), stream.EpochOrder(1));
        for (int i = 0; i < 5; i++) stream.Next();
        var state = stream.State().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var resumed = folder.TrainingBatches(6, 3, Augmentation.CropAndFlip(2));
        resumed.Restore(state);
        for (int i = 5; i < 10; i++)
        {
            var next = resumed.Next();
            Assert.True(next.Inputs.IsSameAs(a[i].Inputs).item<bool>(), $"batch {i} after resuming differs");
        }
    }

    [Fact]
    public void The_trainer_trains_on_the_stream_and_a_killed_run_resumes_bit_identical()
    {
        using var single = new SingleThread();
        var folder = ImageFolder.Open(MakeFolder(), Small, CPU);
        var config = new TrainConfig
        {
            Steps = 24, BatchSize = 6, EvaluateEvery = 12, ReportEvery = 4, CheckpointEvery = 8, Optimizer = new Adam(3e-3),
            Augmentation = Augmentation.CropAndFlip(2),
        };
        TrainingRun Run(string? checkpoint = null, int? killAt = null)
        {
            Seeding.Set(5);
            var model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3));
            return Trainer.Train(model, folder, config, progress: new KillAt(killAt), checkpoint: checkpoint);
        }
        var straight = Run();
        Assert.Equal([12L, 24], straight.History.Select(r => r.Step));
        Assert.True(straight.History[^1].TestAccuracy > 0.5, $"test accuracy {straight.History[^1].TestAccuracy} on three colours");

        var checkpoint = Path.Combine(TestFiles.TemporaryDirectory(), "run.checkpoint.sktf");
        Assert.Throws<OperationCanceledException>(() => Run(checkpoint, killAt: 20));
        Assert.Equal(straight.History, Run(checkpoint).History);
    }

    [Fact]
    public void Missing_folders_empty_classes_and_undecodable_files_are_named()
    {
        var missing = Path.Combine(TestFiles.TemporaryDirectory(), "nowhere");
        Assert.Contains(missing, Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Open(missing, Small)).Message);

        var noVal = MakeFolder(perClass: 2);
        Directory.Delete(Path.Combine(noVal, "val"), recursive: true);
        Assert.Contains("TestFolder", Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Open(noVal, Small)).Message);

        var empty = MakeFolder(perClass: 2);
        Directory.CreateDirectory(Path.Combine(empty, "train", "class3"));
        File.WriteAllText(Path.Combine(empty, "train", "class3", "notes.txt"), "no images here");
        Assert.Contains("class3", Assert.Throws<InvalidDataException>(() => ImageFolder.Open(empty, Small)).Message);

        var stray = MakeFolder(perClass: 2);
        WriteImage(Path.Combine(stray, "val", "unknown", "x.png"), 8, 8, (x, y) => SKColors.White);
        Assert.Contains("unknown", Assert.Throws<InvalidDataException>(() => ImageFolder.Open(stray, Small)).Message);

        foreach (var (name, bytes) in new[] { ("garbage.jpg", "not an image"u8.ToArray()), ("truncated.png", Truncated()) })
        {
            var broken = MakeFolder(perClass: 2);
            var path = Path.Combine(broken, "train", "class1", name);
            File.WriteAllBytes(path, bytes);
            var folder = ImageFolder.Open(broken, Small, CPU);
            using var stream = folder.TrainingBatches(7, 0);   // every file in the first epoch's batch
            var error = Assert.Throws<InvalidDataException>(() => { using var s = NewDisposeScope(); stream.Next(); });
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void The_run_key_covers_the_files_and_the_transform()
    {
        var root = MakeFolder(perClass: 2);
        string Key(ImageFolderOptions options) => RunKey.Of(("data", ImageFolder.Open(root, options))).Hash;
        var before = Key(Small);
        Assert.Equal(before, Key(Small));
        Assert.NotEqual(before, Key(Small with { Size = 12 }));
        Assert.NotEqual(before, Key(Small with { Mean = [0.4f, 0.5f, 0.5f] }));
        WriteImage(Path.Combine(root, "train", "class0", "img00.png"), 50, 50, (x, y) => SKColors.Black);
        Assert.NotEqual(before, Key(Small));
    }

    private static byte[] Truncated()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "whole.png");
        WriteImage(path, 30, 30, (x, y) => new SKColor((byte)(x * 8), (byte)(y * 8), 0));
        var bytes = File.ReadAllBytes(path);
        return bytes[..(bytes.Length * 2 / 3)];
    }

    private sealed class KillAt(int? step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step) throw new OperationCanceledException("killed by the test");
        }
    }
}
