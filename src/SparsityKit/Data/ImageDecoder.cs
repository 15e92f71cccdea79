using SkiaSharp;

namespace SparsityKit.Data;

/// <summary>Decodes one JPEG or PNG file with SkiaSharp into normalised CHW floats: resize the shorter side, center crop.</summary>
internal static class ImageDecoder
{
    /// <summary>Writes 3 x size x size floats into <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp can decode, or it is truncated; the message names it.</exception>
    public static void Decode(string path, ImageFolderOptions options, Span<float> destination)
    {
        using var codec = SKCodec.Create(path)
            ?? throw new InvalidDataException($"{path}: not a JPEG or PNG image that SkiaSharp can decode. Remove the file from the folder or replace it.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var full = new SKBitmap(info);
        var result = codec.GetPixels(info, full.GetPixels());
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"{path}: the image could not be decoded whole ({result}; a truncated or damaged file?). Remove the file or replace it.");

        int size = options.Size, shorter = options.ResizeShorterSide;
        double scale = (double)shorter / Math.Min(info.Width, info.Height);
        int width = Math.Max(size, (int)Math.Round(info.Width * scale)), height = Math.Max(size, (int)Math.Round(info.Height * scale));
        using var resized = width == info.Width && height == info.Height ? null : new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (resized is not null && !full.ScalePixels(resized, SKFilterQuality.High))
            throw new InvalidDataException($"{path}: SkiaSharp could not resize the image to {width}x{height}.");
        var bitmap = resized ?? full;

        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes, top = (height - size) / 2, left = (width - size) / 2, plane = size * size;
        for (int c = 0; c < 3; c++)
        {
            float mean = options.Mean[c], std = options.Std[c];
            for (int y = 0; y < size; y++)
            {
                int row = (top + y) * rowBytes + left * 4 + c, to = c * plane + y * size;
                for (int x = 0; x < size; x++) destination[to + x] = (pixels[row + 4 * x] / 255f - mean) / std;
            }
        }
    }
}
