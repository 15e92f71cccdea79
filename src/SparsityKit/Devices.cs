using System.Globalization;
using TorchSharp;

namespace SparsityKit;

/// <summary>Chooses where tensors live: CUDA when TorchSharp sees a GPU, otherwise the CPU.</summary>
public static class Devices
{
    /// <summary>Set to <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> to override the automatic choice.</summary>
    public const string EnvironmentVariable = "SPARSITYKIT_DEVICE";

    private static readonly Lazy<torch.Device> Chosen = new(Choose);

    /// <summary>The best available device (CUDA if available, else CPU), chosen once per process.</summary>
    public static torch.Device Best => Chosen.Value;

    /// <summary>The requested device, or <see cref="Best"/> when none is given.</summary>
    public static torch.Device Resolve(torch.Device? requested) => requested ?? Best;

    private static torch.Device Choose()
    {
        var forced = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(forced))
            return torch.device(Parse(forced, forced.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? torch.cuda.device_count() : 0));
        // Asking about CUDA first matters: TorchSharp cannot switch to CUDA once it has initialised CPU only.
        return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
    }

    /// <summary>
    /// The device name ("cpu", "cuda", "cuda:1") a value of <see cref="EnvironmentVariable"/> names, given how many CUDA devices TorchSharp sees; a value
    /// naming no device, or a GPU that is not there, is an error naming the variable and the valid values (not libtorch's).
    /// </summary>
    internal static string Parse(string value, int cudaDevices)
    {
        const string valid = "Valid values: cpu, cuda, cuda:N (N a GPU's index); unset it to use CUDA when there is a GPU and the CPU otherwise.";
        var text = value.Trim().ToLowerInvariant();
        if (text == "cpu") return text;
        int index = -1;
        bool cuda = text == "cuda" || (text.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(text["cuda:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out index));
        if (!cuda) throw new ArgumentException($"{EnvironmentVariable} is '{value}', which names no device. {valid}");
        if (cudaDevices == 0 || index >= cudaDevices)
            throw new ArgumentException($"{EnvironmentVariable} is '{value}', but TorchSharp sees {cudaDevices} CUDA device(s)" +
                (cudaDevices == 0 ? " (a CPU-only TorchSharp package, no NVIDIA driver, or no GPU)" : $" (indices 0 to {cudaDevices - 1})") +
                $". Set {EnvironmentVariable}=cpu, or unset it to choose automatically. {valid}");
        return text;
    }
}
