using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Data;

/// <summary>
/// Data augmentation on the device, per example and seeded: a random crop of the image padded by
/// <see cref="CropPadding"/> pixels on each side (zeros, i.e. the mean after normalisation), back to its own size, and a
/// horizontal flip with probability 1/2 (the CIFAR recipe of He et al. 2016: padding 4, flip). The random numbers come
/// from the run's own generator, derived from the data seed, so a seed gives the same augmented batches every time.
/// </summary>
/// <remarks>
/// TorchVision's <c>RandomCrop</c> and <c>RandomHorizontalFlip</c> transform a whole batch with one draw from the
/// global generator; here every example gets its own offsets and flip, drawn from a generator that checkpoints save.
/// </remarks>
public sealed record Augmentation
{
    /// <summary>Pixels of zero padding on each side before a random crop back to the image's size; 0 for no crop.</summary>
    public int CropPadding { get; init; }

    /// <summary>Flip each image left-right with probability 1/2.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Random crop with padding 4 and horizontal flip, as He et al. (2016) train CIFAR ResNets.</summary>
    public static Augmentation CropAndFlip(int padding = 4) => new() { CropPadding = padding, HorizontalFlip = true };

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting when it does not fit images of this batch shape.</summary>
    public void Validate(long[] batchShape)
    {
        if (CropPadding < 0)
            throw new ArgumentOutOfRangeException(nameof(CropPadding), CropPadding, "The crop padding must not be negative (4 is the CIFAR recipe; 0 for no crop).");
        if (batchShape.Length != 4)
            throw new ArgumentException($"Augmentation takes images [N, channels, height, width], not a tensor of shape [{string.Join(", ", batchShape)}]: " +
                "set TrainConfig.Augmentation only for image data.", nameof(batchShape));
    }

    /// <summary>The augmented batch (a new tensor in the caller's dispose scope); <paramref name="images"/> is left as it was.</summary>
    public Tensor Apply(Tensor images, Generator generator)
    {
        Validate(images.shape);
        long n = images.shape[0], height = images.shape[2], width = images.shape[3];
        var device = images.device;
        var result = images;
        if (CropPadding > 0)
        {
            int p = CropPadding;
            // Offsets are drawn on the CPU (the generator's device), rows before columns, one per example.
            var rowOffset = randint(0, 2 * p + 1, [n], generator: generator).to(device);
            var columnOffset = randint(0, 2 * p + 1, [n], generator: generator).to(device);
            var padded = nn.functional.pad(images, [p, p, p, p]);
            // Each example's window by two gathers: rows [N, 1, H, 1] + offset, then columns.
            var rows = rowOffset.view(n, 1, 1, 1).add(arange(height, device: device).view(1, 1, height, 1), Scalars.One)
                .expand(n, images.shape[1], height, width + 2 * p);
            var columns = columnOffset.view(n, 1, 1, 1).add(arange(width, device: device).view(1, 1, 1, width), Scalars.One)
                .expand(n, images.shape[1], height, width);
            result = padded.gather(2, rows).gather(3, columns);
        }
        if (HorizontalFlip)
        {
            using Scalar half = 0.5;   // kept alive: see Scalars
            var flip = rand([n], generator: generator).lt(half).to(device).view(n, 1, 1, 1);
            result = where(flip, result.flip(3), result);
        }
        return ReferenceEquals(result, images) ? images.alias() : result;
    }

    // A generator of its own, derived from the data seed so that it does not repeat the batch order's draws.
    internal static Generator Generator(long dataSeed) => Seeding.Generator(unchecked(dataSeed * 6364136223846793005L + 1442695040888963407L));

    public override string ToString() =>
        (CropPadding, HorizontalFlip) switch
        {
            (0, false) => "none",
            (0, true) => "flip",
            (var p, false) => $"crop (padding {p})",
            (var p, true) => $"crop (padding {p}) + flip",
        };
}
