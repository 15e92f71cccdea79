using TorchSharp;

namespace SparsityKit;

/// <summary>Chooses where tensors live: CUDA when TorchSharp sees a GPU, otherwise the CPU.</summary>
public static class Devices
{
    /// <summary>Set to <c>cpu</c> or <c>cuda</c> to override the automatic choice.</summary>
    public const string EnvironmentVariable = "SPARSITYKIT_DEVICE";

    private static readonly Lazy<torch.Device> Chosen = new(Choose);

    /// <summary>The best available device (CUDA if available, else CPU), chosen once per process.</summary>
    public static torch.Device Best => Chosen.Value;

    /// <summary>The requested device, or <see cref="Best"/> when none is given.</summary>
    public static torch.Device Resolve(torch.Device? requested) => requested ?? Best;

    internal static torch.Device Parse(string value, int cudaDevices) => torch.device(value);

    private static torch.Device Choose()
    {
        var forced = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(forced)) return Parse(forced, 0);
        // Asking about CUDA first matters: TorchSharp cannot switch to CUDA once it has initialised CPU only.
        return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
    }
}
