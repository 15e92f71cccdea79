using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// A pruned weight matrix in compressed sparse row form: for each output row, the columns and values of its
/// kept weights, in column order. Arrays are pinned so the kernels can hold pointers to them.
/// </summary>
public sealed class CsrMatrix
{
    public int Rows { get; }
    public int Columns { get; }
    /// <summary>Row r's kept weights are entries RowStarts[r] .. RowStarts[r + 1] - 1.</summary>
    public int[] RowStarts { get; }
    public int[] ColumnIndices { get; }
    public float[] Values { get; }

    public CsrMatrix(int rows, int columns, int[] rowStarts, int[] columnIndices, float[] values)
    {
        if (rowStarts.Length != rows + 1) throw new ArgumentException($"A CSR matrix with {rows} rows needs {rows + 1} row starts, not {rowStarts.Length}.");
        if (columnIndices.Length != values.Length || rowStarts[rows] != values.Length)
            throw new ArgumentException("A CSR matrix needs as many column indices as values, and its last row start must equal that count.");
        Rows = rows;
        Columns = columns;
        RowStarts = rowStarts;
        ColumnIndices = columnIndices;
        Values = values;
    }

    public long NonZeros => Values.Length;

    /// <summary>Kept weights over all weights.</summary>
    public double Density => Rows == 0 || Columns == 0 ? 0 : (double)NonZeros / ((long)Rows * Columns);

    /// <summary>
    /// The kept weights of a [rows, columns] weight (any further dimensions are flattened into the columns):
    /// those where <paramref name="mask"/> is 1, or, without a mask, those that are not zero.
    /// </summary>
    public static CsrMatrix FromDense(Tensor weight, Tensor? mask = null)
    {
        if (weight.dim() < 2) throw new ArgumentException($"A CSR matrix needs a weight of two or more dimensions, not [{string.Join(", ", weight.shape)}].");
        if (mask is not null && !mask.shape.SequenceEqual(weight.shape))
            throw new ArgumentException($"Mask shape [{string.Join(", ", mask.shape)}] differs from weight shape [{string.Join(", ", weight.shape)}].");
        int rows = checked((int)weight.shape[0]);
        int columns = checked((int)(weight.numel() / Math.Max(1, rows)));
        using var scope = NewDisposeScope();
        var w = Floats(weight);
        var keep = mask is null ? null : Floats(mask);
        var rowStarts = new int[rows + 1];
        var indices = new List<int>();
        var values = new List<float>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                long i = (long)r * columns + c;
                if (keep is null ? w[i] == 0 : keep[i] == 0) continue;
                indices.Add(c);
                values.Add(w[i]);
            }
            rowStarts[r + 1] = values.Count;
        }
        var pinnedIndices = GC.AllocateUninitializedArray<int>(indices.Count, pinned: true);
        var pinnedValues = GC.AllocateUninitializedArray<float>(values.Count, pinned: true);
        indices.CopyTo(pinnedIndices);
        values.CopyTo(pinnedValues);
        var pinnedStarts = GC.AllocateUninitializedArray<int>(rows + 1, pinned: true);
        rowStarts.CopyTo(pinnedStarts, 0);
        return new CsrMatrix(rows, columns, pinnedStarts, pinnedIndices, pinnedValues);
    }

    private static float[] Floats(Tensor t)
    {
        using var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
        return MemoryMarshal.Cast<byte, float>(cpu.bytes).ToArray();
    }

    /// <summary>This matrix with every column index passed through <paramref name="map"/> (a convolution's input offsets).</summary>
    public CsrMatrix WithColumns(Func<int, int> map, int columns)
    {
        var mapped = GC.AllocateUninitializedArray<int>(ColumnIndices.Length, pinned: true);
        for (int i = 0; i < mapped.Length; i++) mapped[i] = map(ColumnIndices[i]);
        return new CsrMatrix(Rows, columns, RowStarts, mapped, Values);
    }

    /// <summary>
    /// This matrix with every row's entries padded to a multiple of <paramref name="multiple"/> by zero weights on the
    /// row's last kept column (an input the row reads anyway), so a vector loop over a row has no scalar tail. Empty rows
    /// stay empty. Products are unchanged for finite inputs (a zero weight adds exactly zero).
    /// </summary>
    public CsrMatrix PaddedRows(int multiple)
    {
        if (multiple < 1) throw new ArgumentOutOfRangeException(nameof(multiple), multiple, "Rows pad to a multiple of at least 1.");
        var starts = GC.AllocateUninitializedArray<int>(Rows + 1, pinned: true);
        starts[0] = 0;
        for (int r = 0; r < Rows; r++)
        {
            int count = RowStarts[r + 1] - RowStarts[r];
            starts[r + 1] = starts[r] + (count + multiple - 1) / multiple * multiple;
        }
        var columns = GC.AllocateArray<int>(starts[Rows], pinned: true);
        var values = GC.AllocateArray<float>(starts[Rows], pinned: true);   // pads: zero weights
        for (int r = 0; r < Rows; r++)
        {
            int from = RowStarts[r], count = RowStarts[r + 1] - from;
            Array.Copy(ColumnIndices, from, columns, starts[r], count);
            Array.Copy(Values, from, values, starts[r], count);
            for (int k = starts[r] + count; k < starts[r + 1]; k++) columns[k] = ColumnIndices[from + count - 1];
        }
        return new CsrMatrix(Rows, Columns, starts, columns, values);
    }

    /// <summary>The dense [rows, columns] matrix (pruned weights zero; entries on one column add up, as padding's zeros do).</summary>
    public Tensor ToDense()
    {
        var dense = new float[(long)Rows * Columns];
        for (int r = 0; r < Rows; r++)
            for (int k = RowStarts[r]; k < RowStarts[r + 1]; k++) dense[(long)r * Columns + ColumnIndices[k]] += Values[k];
        return tensor(dense, [Rows, Columns]);
    }
}
