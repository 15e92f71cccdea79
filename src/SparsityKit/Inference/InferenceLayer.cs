using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// One step of a <see cref="SparseModel"/>. Every step runs in two layouts: batch-major ([batch, features...], libtorch's
/// own, used when no layer of the model runs sparse) and panels ([panels, features..., width], each panel a few examples
/// side by side per feature, what the sparse kernel reads and writes; see <see cref="SparseKernel"/>).
/// </summary>
public abstract class InferenceLayer : IDisposable
{
    protected InferenceLayer(string name, long[] inputShape, long[] outputShape)
    {
        Name = name;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    /// <summary>The module's name in the source model ("fc1"), or the operation's ("relu").</summary>
    public string Name { get; }

    /// <summary>One example's input and output shape.</summary>
    public long[] InputShape { get; }
    public long[] OutputShape { get; }

    public long InputFeatures => InputShape.Aggregate(1L, (a, b) => a * b);
    public long OutputFeatures => OutputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether this layer runs the sparse kernel for a batch of this size.</summary>
    public virtual bool RunsSparse(long batch) => false;

    /// <summary>Kept weights over all weights (1 for layers without weights).</summary>
    public virtual double Density => 1;

    /// <summary>Multiply-accumulates per example, dense and with only the kept weights (0 for layers without weights).</summary>
    public virtual long DenseFlops => 0;
    public virtual long SparseFlops => 0;

    /// <summary>[batch, input shape...] to [batch, output shape...], with libtorch's dense operations.</summary>
    public abstract Tensor ForwardBatchMajor(Tensor x);

    /// <summary>[panels, input shape..., width] to [panels, output shape..., width].</summary>
    public abstract Tensor ForwardPanels(Tensor x, PanelLayout layout, int threads);

    /// <summary>Whether <see cref="ForwardSmall"/> can run this batch (no libtorch call: at batch 1 its per-call cost is most of the time).</summary>
    internal virtual bool RunsWithoutLibtorch(long batch) => false;

    /// <summary>One panel of <paramref name="batch"/> examples, [input features, batch] to [output features, batch], on raw storage.</summary>
    internal virtual unsafe void ForwardSmall(float* x, float* y, long batch, int threads) =>
        throw new NotSupportedException($"{Name} runs through libtorch only.");

    public virtual void Dispose() { }

    public override string ToString() => $"{Name} [{string.Join(", ", InputShape)}] -> [{string.Join(", ", OutputShape)}]";
}
