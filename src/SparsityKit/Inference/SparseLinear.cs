using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// A linear layer (optionally followed by ReLU) that keeps both forms of its pruned weight: the dense masked matrix for
/// libtorch and its CSR form for <see cref="SparseKernel"/>, and runs whichever <see cref="SparseLayerChoice"/> picks.
/// </summary>
public sealed class SparseLinear : InferenceLayer
{
    private readonly Tensor _weight;
    private readonly Tensor? _bias, _biasColumn;
    private readonly float[]? _biasValues;
    private readonly float[] _weightValues;
    private readonly SparseLayerChoice _choice;
    private readonly CsrMatrix _paddedCsr;   // rows padded to 8 entries for the batch-of-one gather loop

    /// <param name="weight">[out, in], pruned weights already zero or given by <paramref name="mask"/>.</param>
    public SparseLinear(string name, long[] inputShape, Tensor weight, Tensor? bias, Tensor? mask, bool relu, SparseLayerChoice choice)
        : base(name, inputShape, [weight.shape[0]])
    {
        if (weight.dim() != 2 || weight.shape[1] != InputFeatures)
            throw new ArgumentException($"Linear layer '{name}' has weight [{string.Join(", ", weight.shape)}], which does not take {InputFeatures} input features.");
        Csr = CsrMatrix.FromDense(weight, mask);
        _paddedCsr = Csr.PaddedRows(8);
        // Every temporary in a scope: one left to the finalizer thread can be freed while libtorch still reads it.
        using (NewDisposeScope())
        {
            _weight = Csr.ToDense().MoveToOuterDisposeScope();
            _bias = bias?.detach().to(ScalarType.Float32).cpu().contiguous().clone().MoveToOuterDisposeScope();
            _biasColumn = _bias?.unsqueeze(1).MoveToOuterDisposeScope();
        }
        _weightValues = Pinned(_weight);
        _biasValues = _bias is null ? null : Pinned(_bias);
        Relu = relu;
        _choice = choice;
    }

    public CsrMatrix Csr { get; }
    public bool Relu { get; }

    public override double Density => Csr.Density;
    public override long DenseFlops => (long)Csr.Rows * Csr.Columns;
    public override long SparseFlops => Csr.NonZeros;
    public override bool RunsSparse(long batch) => _choice.RunsSparse(Density, batch);

    public override Tensor ForwardBatchMajor(Tensor x)
    {
        var y = nn.functional.linear(x.dim() == 2 ? x : x.reshape(x.shape[0], InputFeatures), _weight, _bias);
        return Relu ? y.relu_() : y;
    }

    public override Tensor ForwardPanels(Tensor x, PanelLayout layout, int threads)
    {
        var input = x.view(layout.Panels, InputFeatures, layout.Width);
        if (!RunsSparse(layout.Batch))
        {
            var dense = _weight.matmul(input);   // [panels, out, width]
            if (_biasColumn is not null) dense.add_(_biasColumn);
            return Relu ? dense.relu_() : dense;
        }
        var y = empty(layout.Panels, Csr.Rows, layout.Width);
        SparseKernel.Multiply(Csr, null, input, y, layout.Panels, layout.Width, _biasValues, Relu, threads);
        return y;
    }

    internal override bool RunsWithoutLibtorch(long batch) => true;

    internal override unsafe void ForwardSmall(float* x, float* y, long batch, int threads)
    {
        if (batch == 1 && RunsSparse(1)) SparseKernel.MultiplyOne(_paddedCsr, x, y, _biasValues, Relu);
        else if (RunsSparse(batch)) SparseKernel.Multiply(Csr, null, x, y, InputFeatures, 1, batch, _biasValues, Relu, threads);
        else SparseKernel.MultiplyDense(_weightValues, Csr.Rows, Csr.Columns, x, y, batch, _biasValues, Relu);
    }

    internal static float[] Pinned(Tensor t)
    {
        var values = GC.AllocateUninitializedArray<float>(checked((int)t.numel()), pinned: true);
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.bytes).CopyTo(values);
        return values;
    }

    public override void Dispose()
    {
        _weight.Dispose();
        _bias?.Dispose();
        _biasColumn?.Dispose();
    }
}
