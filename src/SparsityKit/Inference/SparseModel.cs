using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// A pruned model for inference (see <see cref="SparseInference.Convert"/>): its weight layers run a sparse CSR kernel
/// where that beats libtorch's dense product and the dense product elsewhere. When any layer of a batch runs sparse,
/// the whole pass runs in the feature-major layout [features, batch] (transposed once on the way in and once out);
/// otherwise it is the masked dense model, op for op. Outputs equal the masked dense model's up to float rounding.
/// </summary>
public sealed class SparseModel : IDisposable
{
    public SparseModel(long[] inputShape, IReadOnlyList<InferenceLayer> layers)
    {
        if (layers.Count == 0) throw new ArgumentException("An inference model needs at least one layer.");
        InputShape = inputShape;
        Layers = layers;
    }

    /// <summary>One example's input shape ([784] for LeNet-300-100, [1, 28, 28] for LeNet-5).</summary>
    public long[] InputShape { get; }

    public IReadOnlyList<InferenceLayer> Layers { get; }

    /// <summary>Threads for the sparse kernel; null uses libtorch's current number (<c>torch.get_num_threads()</c>).</summary>
    public int? Threads { get; set; }

    public long InputFeatures => InputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether any layer runs sparse for a batch of this size.</summary>
    public bool RunsSparse(long batch) => Layers.Any(l => l.RunsSparse(batch));

    /// <summary>Dense over sparse multiply-accumulates per example: the speed-up the FLOP count promises.</summary>
    public double PromisedSpeedup => (double)Layers.Sum(l => l.DenseFlops) / Math.Max(1, Layers.Sum(l => l.SparseFlops));

    /// <summary>[batch, input shape...] (or [batch, input features]) to the model's output [batch, ...].</summary>
    public Tensor forward(Tensor input)
    {
        if (input.dim() < 2 || input.numel() != input.shape[0] * InputFeatures)
            throw new ArgumentException($"Input [{string.Join(", ", input.shape)}] is not a batch of [{string.Join(", ", InputShape)}] examples " +
                $"({InputFeatures} values each): pass [batch, {string.Join(", ", InputShape)}].");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long batch = input.shape[0];
        var x = input.to(ScalarType.Float32).cpu().reshape([batch, .. InputShape]);
        if (!RunsSparse(batch))
        {
            foreach (var layer in Layers) x = layer.ForwardBatchMajor(x);
            return x.MoveToOuterDisposeScope();
        }
        int threads = Math.Max(1, Threads ?? get_num_threads());
        long ld = batch < SparseKernel.BatchAlignment ? batch : (batch + SparseKernel.BatchAlignment - 1) / SparseKernel.BatchAlignment * SparseKernel.BatchAlignment;
        var flat = x.reshape(batch, InputFeatures);
        Tensor columns;
        if (batch == 1) columns = flat.reshape(InputFeatures, 1).contiguous();
        else
        {
            columns = empty(InputFeatures, ld);
            columns.narrow(1, 0, batch).copy_(flat.t());
            if (ld > batch) columns.narrow(1, batch, ld - batch).zero_();   // padding: zeros, never stale denormals or NaN
        }
        foreach (var layer in Layers) columns = layer.ForwardFeatureMajor(columns, batch, ld, threads);
        var outputShape = Layers[^1].OutputShape;
        return columns.view(-1, ld).narrow(1, 0, batch).t().reshape([batch, .. outputShape]).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Per weight layer: density and whether it runs sparse at batch 1 and at batch 10,000.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"layer",-10} {"shape",-22} {"density",8} {"batch 1",8} {"batch 10000",12}");
        foreach (var l in Layers.Where(l => l.DenseFlops > 0))
            text.AppendLine($"{l.Name,-10} {$"[{string.Join(", ", l.InputShape)}] -> [{string.Join(", ", l.OutputShape)}]",-22} {l.Density,8:P1} " +
                $"{(l.RunsSparse(1) ? "sparse" : "dense"),8} {(l.RunsSparse(10_000) ? "sparse" : "dense"),12}");
        text.Append($"FLOP-promised speed-up {PromisedSpeedup:F2}x");
        return text.ToString();
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }
}
