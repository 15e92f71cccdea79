using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// The sparse product Y = W X in panel layout: activations are [panels, features..., width], each panel holding
/// <c>width</c> examples (<see cref="PanelWidth"/>; a batch under <see cref="BatchAlignment"/> is one panel of its own width)
/// with one contiguous row of examples per feature. For each panel and each output row, the row's kept weights scale
/// the matching rows of the panel's X and add up: an axpy over the panel's examples per kept weight, four AVX-512 vectors
/// wide, while the panel (784 features x 64 examples = 200 KB for LeNet-300-100) stays in the core's L2 cache and in a
/// few pages of the TLB. A batch of one is the same loop with one column: a dot product of the row's values with X
/// gathered at its column indices. A convolution is the same product: output row r = channel * positions + position
/// reads input row column + <c>positionBase[position]</c> (the column indices hold the kernel taps' offsets).
/// </summary>
internal static unsafe class SparseKernel
{
    /// <summary>Batches of at least this many examples are laid out in panels of <see cref="PanelWidth"/>.</summary>
    public const int BatchAlignment = 16;

    /// <summary>Examples per panel: four AVX-512 accumulators per output row.</summary>
    public const int PanelWidth = 64;

    // Below this many multiply-adds a product runs on one thread: a parallel loop costs a few microseconds.
    private const long MinimumParallelWork = 1 << 16;

    private static readonly int[] NoOffset = [0];

    /// <summary>Panels and their width for a batch: one panel of the batch's width below <see cref="BatchAlignment"/>.</summary>
    public static (long Panels, long Width) Panels(long batch) =>
        batch < BatchAlignment ? (1, batch) : ((batch + PanelWidth - 1) / PanelWidth, PanelWidth);

    /// <summary>The storage of a CPU float32 contiguous tensor.</summary>
    public static float* Pointer(Tensor t)
    {
        if (t.device_type != DeviceType.CPU || t.dtype != ScalarType.Float32 || !t.is_contiguous())
            throw new ArgumentException($"The sparse kernel needs contiguous float32 CPU tensors, not {t.dtype} on {t.device} (contiguous: {t.is_contiguous()}).");
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
    }

    /// <summary>[batch, features] (row-major) into panels [panels, features, width]; padding examples are zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToPanels(Tensor rows, Tensor panels, long batch, long features, long width, int threads)
    {
        nint source = (nint)Pointer(rows), target = (nint)Pointer(panels);
        long count = panels.numel() / (features * width);
        if (threads <= 1 || count == 1) { for (long p = 0; p < count; p++) Panel(p); }
        else Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, Panel);

        void Panel(long p)
        {
            float* from = (float*)source, to = (float*)target + p * features * width;
            if (Avx.IsSupported && width % 8 == 0 && (p + 1) * width <= batch)
            {
                // 8 x 8 blocks transposed in registers: eight examples' eight features in, eight features' eight examples out.
                long whole = features / 8 * 8;
                for (long f0 = 0; f0 < whole; f0 += 8)
                    for (long b0 = 0; b0 < width; b0 += 8)
                        Transpose8x8(from + (p * width + b0) * features + f0, features, to + f0 * width + b0, width);
                for (long f = whole; f < features; f++)
                    for (long b = 0; b < width; b++) to[f * width + b] = from[(p * width + b) * features + f];
                return;
            }
            // Blocks of 16 features: 16 rows of the panel's output are written while each example's 16 values are read.
            for (long f0 = 0; f0 < features; f0 += 16)
            {
                long f1 = Math.Min(features, f0 + 16);
                for (long b = 0; b < width; b++)
                {
                    long example = p * width + b;
                    if (example < batch)
                    {
                        float* row = from + example * features;
                        for (long f = f0; f < f1; f++) to[f * width + b] = row[f];
                    }
                    else for (long f = f0; f < f1; f++) to[f * width + b] = 0f;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8x8(float* source, long sourceStride, float* target, long targetStride)
    {
        var r0 = Avx.LoadVector256(source); var r1 = Avx.LoadVector256(source + sourceStride);
        var r2 = Avx.LoadVector256(source + 2 * sourceStride); var r3 = Avx.LoadVector256(source + 3 * sourceStride);
        var r4 = Avx.LoadVector256(source + 4 * sourceStride); var r5 = Avx.LoadVector256(source + 5 * sourceStride);
        var r6 = Avx.LoadVector256(source + 6 * sourceStride); var r7 = Avx.LoadVector256(source + 7 * sourceStride);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(target, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(target + targetStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(target + 2 * targetStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(target + 3 * targetStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(target + 4 * targetStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(target + 5 * targetStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(target + 6 * targetStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(target + 7 * targetStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// y[panel, r, 0..width) = bias[r / positions] + sum over row r / positions of W of value * x[panel, column + positionBase[r % positions], 0..width),
    /// then ReLU if asked. <paramref name="positionBase"/> null means one position with offset 0 (a linear layer).
    /// </summary>
    public static void Multiply(CsrMatrix w, int[]? positionBase, Tensor x, Tensor y, long panels, long width, float[]? bias, bool relu, int threads)
    {
        var bases = positionBase ?? NoOffset;
        long rows = (long)w.Rows * bases.Length;
        if (y.numel() != panels * rows * width) throw new ArgumentException($"Output holds {y.numel()} values; the product writes {panels} panels of {rows} rows of {width}.");
        Multiply(w, positionBase, Pointer(x), Pointer(y), x.numel() / (panels * width), panels, width, bias, relu, threads);
    }

    /// <summary><see cref="Multiply(CsrMatrix, int[], Tensor, Tensor, long, long, float[], bool, int)"/> on raw storage.</summary>
    public static void Multiply(CsrMatrix w, int[]? positionBase, float* x, float* y, long inputRows, long panels, long width, float[]? bias, bool relu, int threads)
    {
        var bases = positionBase ?? NoOffset;
        long rows = (long)w.Rows * bases.Length;
        nint xp = (nint)x, yp = (nint)y;
        long work = w.NonZeros * bases.Length * width * panels;
        if (threads <= 1 || work < MinimumParallelWork)
        {
            for (long p = 0; p < panels; p++) Run(p, 0, rows);
            return;
        }
        // Enough pieces that every thread gets several: whole panels when there are many, else rows too.
        int rowBlocks = (int)Math.Clamp((4L * threads + panels - 1) / panels, 1, rows);
        Parallel.For(0, panels * rowBlocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, item =>
        {
            long panel = item / rowBlocks, block = item % rowBlocks;
            Run(panel, rows * block / rowBlocks, rows * (block + 1) / rowBlocks);
        });

        void Run(long panel, long rowStart, long rowEnd) =>
            Rows(w, bases, (float*)xp + panel * inputRows * width, (float*)yp + panel * rows * width, width, bias, relu, rowStart, rowEnd);
    }

    /// <summary>
    /// A batch of one through a linear layer: y[r] = bias[r] + the dot product of row r's values with x at its columns,
    /// then ReLU if asked. <paramref name="padded"/>'s rows hold a multiple of 8 entries (<see cref="CsrMatrix.PaddedRows"/>):
    /// eight inputs loaded one by one into a vector, one fused multiply-add with eight values, no scalar tail. Measured
    /// on this EPYC faster than the AVX2 gather instruction (LeNet-300-100 at 95%, batch 1: about 4.8 against 7.8
    /// microseconds of CPU time for the whole model) and than four scalar running sums (5.5).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyOne(CsrMatrix padded, float* x, float* y, float[]? bias, bool relu)
    {
        int* starts = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(padded.RowStarts));
        int* columns = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(padded.ColumnIndices));
        float* values = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(padded.Values));
        for (int r = 0, rows = padded.Rows; r < rows; r++)
        {
            int k = starts[r], end = starts[r + 1];
            var a = Vector256<float>.Zero;
            for (; k < end; k += 8)
            {
                int* c = columns + k;
                var inputs = Vector256.Create(x[c[0]], x[c[1]], x[c[2]], x[c[3]], x[c[4]], x[c[5]], x[c[6]], x[c[7]]);
                a = Vector256.FusedMultiplyAdd(inputs, Vector256.Load(values + k), a);
            }
            float s = (bias is null ? 0f : bias[r]) + Vector256.Sum(a);
            y[r] = relu && !(s > 0) ? 0f : s;
        }
    }

    /// <summary>Dense y[o, 0..width) = bias[o] + sum_i weight[o, i] x[i, 0..width), then ReLU if asked (small batches).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyDense(float[] weight, int rows, int columns, float* x, float* y, long width, float[]? bias, bool relu)
    {
        fixed (float* w = weight)
        {
            for (int o = 0; o < rows; o++)
            {
                float* wr = w + (long)o * columns;
                float b = bias is null ? 0f : bias[o];
                for (long j = 0; j < width; j++)
                {
                    float s = b;
                    int i = 0;
                    if (width == 1 && Vector512.IsHardwareAccelerated)
                    {
                        var a = Vector512<float>.Zero;
                        for (; i + 16 <= columns; i += 16) a = Vector512.FusedMultiplyAdd(Vector512.Load(wr + i), Vector512.Load(x + i), a);
                        s += Vector512.Sum(a);
                    }
                    for (; i < columns; i++) s = MathF.FusedMultiplyAdd(wr[i], x[i * width + j], s);
                    y[o * width + j] = relu && !(s > 0) ? 0f : s;
                }
            }
        }
    }

    /// <summary>target[i] = max(target[i], source[i]) for i below count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxInto(float* target, float* source, long count)
    {
        long i = 0;
        for (; i + Vector<float>.Count <= count; i += Vector<float>.Count)
            Unsafe.WriteUnaligned(target + i, Vector.Max(Unsafe.ReadUnaligned<Vector<float>>(target + i), Unsafe.ReadUnaligned<Vector<float>>(source + i)));
        for (; i < count; i++) target[i] = Math.Max(target[i], source[i]);
    }

    // Fully optimised from the first call: tier-0 code of a vector loop runs tens of times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(CsrMatrix w, int[] bases, float* x, float* y, long ld, float[]? bias, bool relu, long rowStart, long rowEnd)
    {
        int* starts = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(w.RowStarts));
        int* columns = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(w.ColumnIndices));
        float* values = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(w.Values));
        int positions = bases.Length;
        for (long r = rowStart; r < rowEnd; r++)
        {
            int o = (int)(r / positions);
            long offset = bases[r - (long)o * positions];
            int start = starts[o], end = starts[o + 1];
            float b = bias is null ? 0f : bias[o];
            float* yr = y + r * ld;
            long c = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; c + 64 <= ld; c += 64) Axpy512x4(columns, values, start, end, offset, x + c, ld, yr + c, b, relu);
                for (; c + 16 <= ld; c += 16) Axpy512(columns, values, start, end, offset, x + c, ld, yr + c, b, relu);
            }
            else
            {
                for (; c + Vector<float>.Count <= ld; c += Vector<float>.Count) AxpyVector(columns, values, start, end, offset, x + c, ld, yr + c, b, relu);
            }
            if (ld == 1 && Avx2.IsSupported && Fma.IsSupported) yr[0] = DotGather(columns, values, start, end, x + offset, b, relu);
            else for (; c < ld; c++) yr[c] = Dot(columns, values, start, end, offset, x + c, ld, b, relu);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Axpy512x4(int* columns, float* values, int start, int end, long offset, float* x, long ld, float* y, float bias, bool relu)
    {
        Vector512<float> a0 = Vector512.Create(bias), a1 = a0, a2 = a0, a3 = a0;
        for (int k = start; k < end; k++)
        {
            float* row = x + (columns[k] + offset) * ld;
            var v = Vector512.Create(values[k]);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(row), v, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 16), v, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 32), v, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 48), v, a3);
        }
        if (relu)
        {
            a0 = Vector512.Max(a0, Vector512<float>.Zero);
            a1 = Vector512.Max(a1, Vector512<float>.Zero);
            a2 = Vector512.Max(a2, Vector512<float>.Zero);
            a3 = Vector512.Max(a3, Vector512<float>.Zero);
        }
        a0.Store(y);
        a1.Store(y + 16);
        a2.Store(y + 32);
        a3.Store(y + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Axpy512(int* columns, float* values, int start, int end, long offset, float* x, long ld, float* y, float bias, bool relu)
    {
        var a = Vector512.Create(bias);
        for (int k = start; k < end; k++)
            a = Vector512.FusedMultiplyAdd(Vector512.Load(x + (columns[k] + offset) * ld), Vector512.Create(values[k]), a);
        if (relu) a = Vector512.Max(a, Vector512<float>.Zero);
        a.Store(y);
    }

    // Machines without AVX-512: one vector of the platform's width at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyVector(int* columns, float* values, int start, int end, long offset, float* x, long ld, float* y, float bias, bool relu)
    {
        var a = new Vector<float>(bias);
        for (int k = start; k < end; k++)
            a = Vector.FusedMultiplyAdd(Unsafe.ReadUnaligned<Vector<float>>(x + (columns[k] + offset) * ld), new Vector<float>(values[k]), a);
        if (relu) a = Vector.Max(a, Vector<float>.Zero);
        Unsafe.WriteUnaligned(y, a);
    }

    // A batch of one: eight kept weights' inputs per gather.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float DotGather(int* columns, float* values, int start, int end, float* x, float bias, bool relu)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0;
        int k = start;
        for (; k + 16 <= end; k += 16)
        {
            a0 = Fma.MultiplyAdd(Avx2.GatherVector256(x, Avx.LoadVector256(columns + k), 4), Avx.LoadVector256(values + k), a0);
            a1 = Fma.MultiplyAdd(Avx2.GatherVector256(x, Avx.LoadVector256(columns + k + 8), 4), Avx.LoadVector256(values + k + 8), a1);
        }
        if (k + 8 <= end)
        {
            a0 = Fma.MultiplyAdd(Avx2.GatherVector256(x, Avx.LoadVector256(columns + k), 4), Avx.LoadVector256(values + k), a0);
            k += 8;
        }
        float s = bias + Vector256.Sum(a0 + a1);
        for (; k < end; k++) s = MathF.FusedMultiplyAdd(values[k], x[columns[k]], s);
        return relu && !(s > 0) ? 0f : s;
    }

    // One column (a batch of one, or a batch's last few columns): two running sums for instruction-level parallelism.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(int* columns, float* values, int start, int end, long offset, float* x, long ld, float bias, bool relu)
    {
        float s0 = bias, s1 = 0;
        int k = start;
        for (; k + 1 < end; k += 2)
        {
            s0 = MathF.FusedMultiplyAdd(values[k], x[(columns[k] + offset) * ld], s0);
            s1 = MathF.FusedMultiplyAdd(values[k + 1], x[(columns[k + 1] + offset) * ld], s1);
        }
        if (k < end) s0 = MathF.FusedMultiplyAdd(values[k], x[(columns[k] + offset) * ld], s0);
        float s = s0 + s1;
        return relu && !(s > 0) ? 0f : s;
    }
}
