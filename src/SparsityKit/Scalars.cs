using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit;

/// <summary>
/// Why code that runs every step never passes an implicit <see cref="Scalar"/>: TorchSharp hands a Scalar's native handle
/// to libtorch without keeping the managed object alive, and Scalars have finalizers but no dispose scope. An implicit
/// one (<c>x.div(2.0)</c>), or the alpha of 1 TorchSharp itself makes inside <c>x.add(y)</c> and <c>x.add_(2.0)</c>, can
/// be freed by the finalizer thread while libtorch reads it, when a collection runs mid-call ("Unknown scalar type"; an
/// L0 run died of it). Such code passes <see cref="One"/> as the alpha of <c>add</c>, and other values as Scalars held
/// by a <c>using</c> declaration, which keeps them alive to the end of the block.
/// </summary>
internal static class Scalars
{
    /// <summary>An alpha of 1 for <c>add</c>, <c>add_</c> and <c>addcdiv</c> (an integer, as TorchSharp's own), alive for the whole process.</summary>
    public static readonly Scalar One = 1;

    /// <summary>The exponent of <see cref="Square"/>.</summary>
    public static readonly Scalar Two = 2;

    /// <summary>0 and 1 for comparisons and fills of masks (<c>mask.eq(Zero)</c>, <c>index_fill_(0, i, One)</c>).</summary>
    public static readonly Scalar Zero = 0;

    /// <summary>Float infinities for scores that must never be chosen (<c>masked_fill</c>).</summary>
    public static readonly Scalar PositiveInfinity = float.PositiveInfinity, NegativeInfinity = float.NegativeInfinity;

    /// <summary><c>x.square()</c>, which TorchSharp computes as <c>pow(2)</c> with an implicit Scalar.</summary>
    public static Tensor Square(Tensor x) => x.pow(Two);

    private static readonly Scalar SoftplusBeta = 1.0, SoftplusThreshold = 20.0;

    // TorchSharp's public softplus turns its doubles into implicit Scalars for a private method that takes Scalars; this
    // calls that method with Scalars that stay alive (the same libtorch call), or the public one if it is not there.
    internal static readonly Func<Tensor, Scalar, Scalar, Tensor>? SoftplusWithScalars =
        typeof(Tensor).GetMethod("softplus1", BindingFlags.NonPublic | BindingFlags.Instance, [typeof(Scalar), typeof(Scalar)]) is { } method
            ? method.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>()
            : null;

    /// <summary><c>nn.functional.softplus(x)</c> (beta 1, threshold 20) without implicit Scalars where TorchSharp allows.</summary>
    public static Tensor Softplus(Tensor x) => SoftplusWithScalars is { } softplus ? softplus(x, SoftplusBeta, SoftplusThreshold) : nn.functional.softplus(x);
}
