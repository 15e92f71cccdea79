using SparsityKit.Models;
using static TorchSharp.torch;

namespace SparsityKit.Methods;

/// <summary>
/// What a catalog method is built for: the architecture (written against a layer factory, so variational dropout and L0
/// get their layers), the device, and optionally a sparsity distribution other than the method's own default.
/// </summary>
/// <param name="Distribution">"uniform", "first-layer-dense", "erk", "er" or "global"; null for the method's default.</param>
/// <param name="Architecture">The model for (seed, layers); null for LeNet-300-100.</param>
/// <param name="DropAndGrow">When SET and RigL change their masks; null for RigL's published default (<see cref="DropAndGrowSchedule.RigL"/>).</param>
public sealed record CatalogOptions(string? Distribution = null, Func<long, ILayerFactory, nn.Module<Tensor, Tensor>>? Architecture = null,
    Device? Device = null, DropAndGrowSchedule? DropAndGrow = null)
{
    /// <summary>Names <see cref="Distribution"/> accepts.</summary>
    public static IReadOnlyList<string> DistributionNames { get; } = ["uniform", "first-layer-dense", "erk", "er", "global"];
}
