using TorchSharp;

namespace SparsityKit;

/// <summary>Seeds every random number generator SparsityKit uses, so a seed fixes weights, batches and masks.</summary>
public static class Seeding
{
    /// <summary>Seeds TorchSharp's global CPU generator (and every CUDA generator when a GPU is present).</summary>
    /// <remarks>On CPU the same seed gives bit-identical results; CUDA kernels are not guaranteed to be deterministic.</remarks>
    public static void Set(long seed)
    {
        torch.random.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>A CPU generator of its own, for a stream (batch order, random masks) that must not depend on any other.</summary>
    public static torch.Generator Generator(long seed) => new torch.Generator((ulong)seed);
}
