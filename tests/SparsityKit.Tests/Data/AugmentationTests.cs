using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Data;

/// <summary>Seeded on-device augmentation (random crop with padding, horizontal flip) and the in-memory batch stream.</summary>
public class AugmentationTests
{
    private static readonly Augmentation CropFlip = Augmentation.CropAndFlip(padding: 2);

    [Fact]
    public void Without_augmentation_the_batches_are_those_the_sampler_gathers()
    {
        using var data = Datasets.Synthetic(trainCount: 50, testCount: 10, imageSize: 8, seed: 1, device: CPU);
        using var scope = NewDisposeScope();
        using var stream = data.TrainingBatches(batchSize: 8, seed: 5);
        using var sampler = new BatchSampler(data.TrainCount, 8, 5, CPU);
        for (int i = 0; i < 14; i++)   // across two epochs
        {
            var (inputs, labels) = stream.Next();
            var index = sampler.Next();
            Assert.True(inputs.IsSameAs(data.TrainImages.index_select(0, index)).item<bool>());
            Assert.True(labels.IsSameAs(data.TrainLabels.index_select(0, index)).item<bool>());
        }
    }

    [Fact]
    public void Augmentation_is_reproducible_by_seed_and_another_seed_differs()
    {
        using var data = Datasets.Synthetic(trainCount: 64, testCount: 10, imageSize: 8, seed: 1, device: CPU);
        using var scope = NewDisposeScope();
        var a = Draw(data, seed: 3, CropFlip);
        var b = Draw(data, seed: 3, CropFlip);
        var other = Draw(data, seed: 4, CropFlip);
        var plain = Draw(data, seed: 3, null);
        for (int i = 0; i < a.Count; i++) Assert.True(a[i].IsSameAs(b[i]).item<bool>(), $"batch {i} differs for the same seed");
        Assert.Contains(Enumerable.Range(0, a.Count), i => !a[i].IsSameAs(other[i]).item<bool>());
        // Same seed, same order of examples: augmentation changed the pixels, not which examples were drawn.
        Assert.Contains(Enumerable.Range(0, a.Count), i => !a[i].IsSameAs(plain[i]).item<bool>());
    }

    [Fact]
    public void Each_augmented_image_is_a_shifted_window_of_the_padded_image_flipped_or_not()
    {
        using var scope = NewDisposeScope();
        const int n = 64, p = 2, size = 6;
        var images = arange(n * 2 * size * size, dtype: ScalarType.Float32).view(n, 2, size, size).add(1);   // no zeros: padding is visible
        using var generator = Seeding.Generator(9);
        var augmented = CropFlip.Apply(images, generator);
        Assert.Equal(images.shape, augmented.shape);
        var padded = nn.functional.pad(images, [p, p, p, p]);
        int flipped = 0, shifted = 0;
        for (int i = 0; i < n; i++)
        {
            bool found = false;
            for (int dy = 0; dy <= 2 * p && !found; dy++)
                for (int dx = 0; dx <= 2 * p && !found; dx++)
                {
                    var window = padded[i].narrow(1, dy, size).narrow(2, dx, size);
                    bool plain = augmented[i].IsSameAs(window).item<bool>(), mirror = augmented[i].IsSameAs(window.flip(2)).item<bool>();
                    if (!plain && !mirror) continue;
                    found = true;
                    if (mirror && !plain) flipped++;
                    if (dy != p || dx != p) shifted++;
                }
            Assert.True(found, $"image {i} is no window of its padded image");
        }
        // 64 fair flips: all or none flipped would be a broken draw (probability 2^-63).
        Assert.InRange(flipped, 1, n - 1);
        Assert.InRange(shifted, n / 2, n);
    }

    [Fact]
    public void Bad_augmentation_settings_name_the_setting()
    {
        using var data = Datasets.Synthetic(trainCount: 20, testCount: 10, imageSize: 8, seed: 1, device: CPU);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.TrainingBatches(4, 0, new Augmentation { CropPadding = -1 }));
        Assert.Contains("CropPadding", e.Message);
        using var flat = zeros(4, 10);
        using var generator = Seeding.Generator(0);
        Assert.Contains("image", Assert.Throws<ArgumentException>(() => CropFlip.Apply(flat, generator)).Message);
    }

    [Fact]
    public void Training_with_augmentation_is_reproducible_resumable_and_in_the_run_key()
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 120, testCount: 40, classCount: 4, imageSize: 12, seed: 2, device: CPU);
        var config = new TrainConfig { Steps = 40, BatchSize = 10, EvaluateEvery = 20, ReportEvery = 10, CheckpointEvery = 15, Augmentation = CropFlip };
        TrainingRun Run(TrainConfig c, string? checkpoint = null, int? killAt = null) =>
            Trainer.Train(Model(), data, c, progress: new KillAt(killAt), checkpoint: checkpoint);

        var first = Run(config);
        Assert.Equal(first.History, Run(config).History);
        Assert.NotEqual(first.History, Run(config with { Augmentation = null }).History);

        // Killed after its checkpoint at step 30, the run resumes with the augmentation generator where it was.
        var checkpoint = Path.Combine(TestFiles.TemporaryDirectory(), "run.checkpoint.sktf");
        Assert.Throws<OperationCanceledException>(() => Run(config, checkpoint, killAt: 35));
        Assert.Equal(first.History, Run(config, checkpoint).History);

        var withKey = CanonicalDescription.Of(config);
        var withoutKey = CanonicalDescription.Of(config with { Augmentation = null });
        Assert.Contains("Augmentation", withKey);
        Assert.DoesNotContain("Augmentation", withoutKey);   // runs stored before augmentation existed keep their keys
        Assert.NotEqual(withKey, CanonicalDescription.Of(config with { Augmentation = CropFlip with { HorizontalFlip = false } }));
    }

    [Fact]
    public void ResNet20_trains_with_crop_and_flip_on_fashion_mnist_shaped_data()
    {
        using var single = new SingleThread();
        using var data = Datasets.Synthetic(trainCount: 32, testCount: 16, imageSize: 28, seed: 4, device: CPU);
        var model = Zoo.Create("resnet20", seed: 1, inputShape: [1, 28, 28], classes: 10, device: CPU);
        var before = model.named_parameters().Select(p => p.parameter.detach().clone()).ToList();
        var run = Trainer.Train(model, data, new TrainConfig { Steps = 3, BatchSize = 8, ReportEvery = 3, EvaluateEvery = 0, Augmentation = Augmentation.CropAndFlip() });
        Assert.True(double.IsFinite(run.History[^1].TrainLoss) && double.IsFinite(run.History[^1].TestLoss));
        Assert.Contains(model.named_parameters().Zip(before), p => !p.First.parameter.IsSameAs(p.Second).item<bool>());
    }

    private static nn.Module<Tensor, Tensor> Model()
    {
        Seeding.Set(7);
        return nn.Sequential(nn.Flatten(), nn.Linear(144, 32), nn.ReLU(), nn.Linear(32, 4));
    }

    private static List<Tensor> Draw(Dataset data, long seed, Augmentation? augmentation)
    {
        using var stream = data.TrainingBatches(batchSize: 16, seed, augmentation);
        return Enumerable.Range(0, 6).Select(_ => stream.Next().Inputs).ToList();
    }

    private sealed class KillAt(int? step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step) throw new OperationCanceledException("killed by the test");
        }
    }
}
