using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// The sparse product Y = W X in feature-major layout: X is [input features, ld] and Y is [output rows, ld], one column
/// per example (ld is the batch, padded to <see cref="BatchAlignment"/> for batches of that size or more). For each output
/// row and each tile of columns, the row's kept weights scale the matching rows of X and add up (an axpy over contiguous
/// columns per kept weight), so the tile of X stays in cache while every output row reuses it. A batch of one is the
/// same loop with one column: a dot product of the row's values with X gathered at its column indices.
/// A convolution is the same product: output row r = channel * positions + position reads input row
/// column + <c>positionBase[position]</c> (the column indices hold the kernel taps' offsets into the input image).
/// </summary>
internal static unsafe class SparseKernel
{
    /// <summary>Batches of at least this many examples are padded to a multiple of it (one AVX-512 vector).</summary>
    public const int BatchAlignment = 16;

    // Columns per tile: four AVX-512 accumulators per output row; an input tile of 784 features x 64 columns is 200 KB (L2).
    private const int TileColumns = 64;

    // Below this many multiply-adds a product runs on one thread: a parallel loop costs a few microseconds.
    private const long MinimumParallelWork = 1 << 16;

    private static readonly int[] NoOffset = [0];

    /// <summary>The storage of a CPU float32 contiguous tensor.</summary>
    public static float* Pointer(Tensor t)
    {
        if (t.device_type != DeviceType.CPU || t.dtype != ScalarType.Float32 || !t.is_contiguous())
            throw new ArgumentException($"The sparse kernel needs contiguous float32 CPU tensors, not {t.dtype} on {t.device} (contiguous: {t.is_contiguous()}).");
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
    }

    /// <summary>
    /// y[r, 0..ld) = bias[r / positions] + sum over row r / positions of W of value * x[column + positionBase[r % positions], 0..ld),
    /// then ReLU if asked. <paramref name="positionBase"/> null means one position with offset 0 (a linear layer).
    /// </summary>
    public static void Multiply(CsrMatrix w, int[]? positionBase, Tensor x, Tensor y, long ld, float[]? bias, bool relu, int threads)
    {
        var bases = positionBase ?? NoOffset;
        long rows = (long)w.Rows * bases.Length;
        if (y.numel() != rows * ld) throw new ArgumentException($"Output holds {y.numel()} values; the product writes {rows} rows of {ld}.");
        nint xp = (nint)Pointer(x), yp = (nint)Pointer(y);
        int tiles = (int)((ld + TileColumns - 1) / TileColumns);
        long work = w.NonZeros * bases.Length * ld;
        if (threads <= 1 || work < MinimumParallelWork)
        {
            Run(0, rows, 0, ld);
            return;
        }
        // Enough pieces that every thread gets several: whole column tiles when there are many, else rows too.
        int rowBlocks = (int)Math.Clamp((4L * threads + tiles - 1) / tiles, 1, rows);
        Parallel.For(0, tiles * rowBlocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, item =>
        {
            int tile = item / rowBlocks, block = item % rowBlocks;
            long c0 = (long)tile * TileColumns;
            Run(rows * block / rowBlocks, rows * (block + 1) / rowBlocks, c0, Math.Min(ld, c0 + TileColumns));
        });

        void Run(long rowStart, long rowEnd, long c0, long c1) =>
            Rows(w, bases, (float*)xp, (float*)yp, ld, bias, relu, rowStart, rowEnd, c0, c1);
    }

    private static void Rows(CsrMatrix w, int[] bases, float* x, float* y, long ld, float[]? bias, bool relu,
        long rowStart, long rowEnd, long c0, long c1)
    {
        int* starts = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(w.RowStarts));
        int* columns = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(w.ColumnIndices));
        float* values = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(w.Values));
        int positions = bases.Length;
        // Tiles of TileColumns columns, each through all of this piece's rows, so the tile of x is reused from cache.
        for (long t0 = c0; t0 < c1; t0 += TileColumns)
        {
            long t1 = Math.Min(c1, t0 + TileColumns);
            for (long r = rowStart; r < rowEnd; r++)
            {
                int o = (int)(r / positions);
                long offset = bases[r - (long)o * positions];
                int start = starts[o], end = starts[o + 1];
                float b = bias is null ? 0f : bias[o];
                float* yr = y + r * ld;
                long c = t0;
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; c + 64 <= t1; c += 64) Axpy512x4(columns, values, start, end, offset, x + c, ld, yr + c, b, relu);
                    for (; c + 16 <= t1; c += 16) Axpy512(columns, values, start, end, offset, x + c, ld, yr + c, b, relu);
                }
                else
                {
                    for (; c + Vector<float>.Count <= t1; c += Vector<float>.Count) AxpyVector(columns, values, start, end, offset, x + c, ld, yr + c, b, relu);
                }
                for (; c < t1; c++) yr[c] = Dot(columns, values, start, end, offset, x + c, ld, b, relu);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy512(int* columns, float* values, int start, int end, long offset, float* x, long ld, float* y, float bias, bool relu)
    {
        var a = Vector512.Create(bias);
        for (int k = start; k < end; k++)
            a = Vector512.FusedMultiplyAdd(Vector512.Load(x + (columns[k] + offset) * ld), Vector512.Create(values[k]), a);
        if (relu) a = Vector512.Max(a, Vector512<float>.Zero);
        a.Store(y);
    }

    // Machines without AVX-512: one vector of the platform's width at a time.
    private static void AxpyVector(int* columns, float* values, int start, int end, long offset, float* x, long ld, float* y, float bias, bool relu)
    {
        var a = new Vector<float>(bias);
        for (int k = start; k < end; k++)
            a = Vector.FusedMultiplyAdd(Unsafe.ReadUnaligned<Vector<float>>(x + (columns[k] + offset) * ld), new Vector<float>(values[k]), a);
        if (relu) a = Vector.Max(a, Vector<float>.Zero);
        Unsafe.WriteUnaligned(y, a);
    }

    // One column (a batch of one, or a batch's last few columns): two running sums for instruction-level parallelism.
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
