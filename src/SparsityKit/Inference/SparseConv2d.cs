using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// A 2-D convolution (stride 1, no padding, optionally followed by ReLU) run as a direct sparse convolution in the
/// panel layout [panels, channels, height, width, examples]: output (channel, position) is the filter's kept taps times the
/// input at position + tap offset, each a contiguous row of examples, so no im2col buffer is built (Elsen et al. 2020,
/// with the batch as the vector dimension). The dense form is im2col (libtorch's unfold) and a matrix product, not
/// libtorch's conv2d: on this project's AMD EPYC machine libtorch 2.10's float32 conv2d (oneDNN 3.7.1's avx512_core and
/// avx2 kernels) returns wrong values for some shapes, LeNet-5's conv2 among them (20 input channels, 5x5), while
/// float64 and <c>ONEDNN_MAX_CPU_ISA=SSE41</c> agree with a direct sum.
/// </summary>
public sealed class SparseConv2d : InferenceLayer
{
    private readonly Tensor _weight;
    private readonly Tensor? _bias;
    private readonly float[]? _biasValues;
    private readonly int[] _positionBase;
    private readonly SparseLayerChoice _choice;

    /// <param name="inputShape">[channels, height, width] of one example.</param>
    /// <param name="weight">[out channels, in channels, kernel height, kernel width].</param>
    public SparseConv2d(string name, long[] inputShape, Tensor weight, Tensor? bias, Tensor? mask, bool relu, SparseLayerChoice choice)
        : base(name, inputShape, OutputShapeOf(name, inputShape, weight))
    {
        long height = inputShape[1], width = inputShape[2], kh = weight.shape[2], kw = weight.shape[3];
        long outHeight = OutputShape[1], outWidth = OutputShape[2];
        // Kernel tap (c, ky, kx) reads input row (c * height + ky) * width + kx from the output position's corner.
        Csr = CsrMatrix.FromDense(weight, mask).WithColumns(j =>
        {
            long c = j / (kh * kw), ky = j / kw % kh, kx = j % kw;
            return checked((int)((c * height + ky) * width + kx));
        }, checked((int)InputFeatures));
        _positionBase = new int[outHeight * outWidth];
        for (long oy = 0; oy < outHeight; oy++)
            for (long ox = 0; ox < outWidth; ox++) _positionBase[oy * outWidth + ox] = checked((int)(oy * width + ox));
        // Every temporary in a scope: one left to the finalizer thread can be freed while libtorch still reads it.
        using (NewDisposeScope())
        {
            _weight = CsrMatrix.FromDense(weight, mask).ToDense().reshape(weight.shape).contiguous().MoveToOuterDisposeScope();
            _bias = bias?.detach().to(ScalarType.Float32).cpu().contiguous().clone().MoveToOuterDisposeScope();
        }
        _biasValues = _bias is null ? null : SparseLinear.Pinned(_bias);
        Relu = relu;
        _choice = choice;
    }

    public CsrMatrix Csr { get; }
    public bool Relu { get; }
    private long Positions => _positionBase.Length;

    public override double Density => (double)Csr.NonZeros / _weight.numel();
    public override long DenseFlops => _weight.numel() * Positions;
    public override long SparseFlops => Csr.NonZeros * Positions;
    public override bool RunsSparse(long batch) => _choice.RunsSparse(Density, batch);

    public override Tensor ForwardBatchMajor(Tensor x)
    {
        var y = DenseConvolution(x.reshape([x.shape[0], .. InputShape]));
        return Relu ? y.relu_() : y;
    }

    public override Tensor ForwardPanels(Tensor x, PanelLayout layout, int threads)
    {
        var (panels, width) = (layout.Panels, layout.Width);
        if (!RunsSparse(layout.Batch))
        {
            using var scope = NewDisposeScope();
            var images = x.view([panels, .. InputShape, width]).permute(0, 4, 1, 2, 3).reshape([panels * width, .. InputShape]);
            var dense = DenseConvolution(images);
            if (Relu) dense.relu_();
            return dense.view([panels, width, .. OutputShape]).permute(0, 2, 3, 4, 1).contiguous().MoveToOuterDisposeScope();
        }
        var y = empty([panels, .. OutputShape, width]);
        SparseKernel.Multiply(Csr, _positionBase, x, y, panels, width, _biasValues, Relu, threads);
        return y;
    }

    internal override bool RunsWithoutLibtorch(long batch) => RunsSparse(batch);

    internal override unsafe void ForwardSmall(float* x, float* y, long batch, int threads) =>
        SparseKernel.Multiply(Csr, _positionBase, x, y, InputFeatures, 1, batch, _biasValues, Relu, threads);

    // im2col and one product per chunk of examples (the unfolded input of 10,000 LeNet-5 images would take 1.3 GB).
    private Tensor DenseConvolution(Tensor images)
    {
        const long Chunk = 512;
        long batch = images.shape[0], kernel = _weight.shape[2], filters = _weight.shape[0];
        var output = empty([batch, .. OutputShape]);
        using var scope = NewDisposeScope();
        var matrix = _weight.reshape(filters, -1);
        for (long start = 0; start < batch; start += Chunk)
        {
            long count = Math.Min(Chunk, batch - start);
            var columns = nn.functional.unfold(images.narrow(0, start, count), kernel);   // [count, in * k * k, positions]
            var y = matrix.matmul(columns);                                                // [count, filters, positions]
            if (_bias is not null) y.add_(_bias.view(1, filters, 1));
            output.narrow(0, start, count).copy_(y.view([count, .. OutputShape]));
        }
        return output;
    }

    private static long[] OutputShapeOf(string name, long[] inputShape, Tensor weight)
    {
        if (inputShape.Length != 3 || weight.dim() != 4 || weight.shape[1] != inputShape[0])
            throw new ArgumentException($"Convolution '{name}' with weight [{string.Join(", ", weight.shape)}] cannot take input [{string.Join(", ", inputShape)}] (expected [in channels, height, width]).");
        long outHeight = inputShape[1] - weight.shape[2] + 1, outWidth = inputShape[2] - weight.shape[3] + 1;
        if (outHeight < 1 || outWidth < 1) throw new ArgumentException($"Convolution '{name}': the kernel is larger than its input [{string.Join(", ", inputShape)}].");
        return [weight.shape[0], outHeight, outWidth];
    }

    public override void Dispose()
    {
        _weight.Dispose();
        _bias?.Dispose();
    }
}
