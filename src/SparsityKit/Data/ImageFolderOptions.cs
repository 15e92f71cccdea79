namespace SparsityKit.Data;

/// <summary>
/// How an <see cref="ImageFolder"/> turns files into inputs: each image is resized so that its shorter side is
/// <see cref="ResizeTo"/>, center-cropped to <see cref="Size"/> x <see cref="Size"/>, converted to RGB in [0, 1] and
/// normalised per channel. The defaults are the usual ImageNet evaluation transform (resize 256, crop 224, ImageNet's
/// channel means and deviations).
/// </summary>
public sealed record ImageFolderOptions
{
    /// <summary>Side of the square crop the model sees.</summary>
    public int Size { get; init; } = 224;

    /// <summary>Shorter side after resizing, before the center crop; null for <see cref="Size"/> * 8 / 7 (256 for 224).</summary>
    public int? ResizeTo { get; init; }

    /// <summary>Per-channel (R, G, B) mean subtracted from pixels in [0, 1].</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    /// <summary>Per-channel (R, G, B) standard deviation the centred pixels are divided by.</summary>
    public IReadOnlyList<float> Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Sub-folder of the root with one folder of images per class for training.</summary>
    public string TrainFolder { get; init; } = "train";

    /// <summary>Sub-folder with the held-out images (ImageNet's "val"), the same class folder names.</summary>
    public string TestFolder { get; init; } = "val";

    /// <summary>Batches decoded ahead of training on the background thread (the bound of its queue).</summary>
    public int Prefetch { get; init; } = 4;

    /// <summary>Threads that decode the images of one batch; does not change the result.</summary>
    public int DecodeThreads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>The shorter side in effect.</summary>
    public int ResizeShorterSide => ResizeTo ?? Math.Max(Size, Size * 8 / 7);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting and a valid value.</summary>
    public void Validate()
    {
        if (Size <= 0) throw new ArgumentOutOfRangeException(nameof(Size), Size, "The crop size must be positive (224 for ImageNet, 32 for CIFAR-sized images).");
        if (ResizeShorterSide < Size)
            throw new ArgumentOutOfRangeException(nameof(ResizeTo), ResizeTo, $"Images are resized to a shorter side of at least the crop size ({Size}); use {Size} or more.");
        if (Mean.Count != 3 || Std.Count != 3)
            throw new ArgumentException($"Mean and Std take one value per RGB channel (3 each), not {Mean.Count} and {Std.Count}.", nameof(Mean));
        if (Std.Any(s => !(s > 0))) throw new ArgumentOutOfRangeException(nameof(Std), string.Join(", ", Std), "Every standard deviation must be positive.");
        if (Prefetch < 1) throw new ArgumentOutOfRangeException(nameof(Prefetch), Prefetch, "Prefetch at least one batch (4 is the default).");
        if (DecodeThreads < 1) throw new ArgumentOutOfRangeException(nameof(DecodeThreads), DecodeThreads, "Use at least one decoding thread.");
    }
}
