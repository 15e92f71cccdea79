using System.Globalization;
using SparsityKit.Sparsity;
using XPlot.Plotly;
using static TorchSharp.torch;

namespace SparsityKit.Analysis;

public static partial class Charts
{
    /// <summary>
    /// The mask of one layer as a heat map: rows are output units, columns inputs (a convolution's kernel is flattened
    /// into the columns), dark where a weight is kept and white where pruned. A mask larger than
    /// <paramref name="maxRows"/> x <paramref name="maxColumns"/> is shown in blocks, each coloured by the fraction of its
    /// weights kept, so the chart stays small (LeNet-300-100's first layer is 300 x 784).
    /// </summary>
    public static PlotlyChart MaskHeatmap(MaskSet masks, string layer, int maxRows = 150, int maxColumns = 280, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (maxRows < 1 || maxColumns < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), "The heat map needs at least one row and column.");
        var mask = masks[layer];
        long rows = mask.dim() == 0 ? 1 : mask.shape[0], columns = mask.numel() / Math.Max(rows, 1);
        float[] values;
        using (var scope = NewDisposeScope())
            values = mask.detach().cpu().to(ScalarType.Float32).reshape(rows, columns).data<float>().ToArray();
        var (z, blockRows, blockColumns) = Blocks(values, (int)rows, (int)columns, maxRows, maxColumns);
        bool blocked = blockRows > 1 || blockColumns > 1;
        var kept = values.Count(v => v > 0.5);
        string subtitle = blocked ? $"each cell the fraction kept of a {blockRows} x {blockColumns} block" : "dark kept, white pruned";
        var trace = new Heatmap
        {
            name = layer, z = z, zmin = 0, zmax = 1, showscale = blocked,
            x0 = 0, dx = blockColumns, y0 = 0, dy = blockRows,
            colorscale = new object[] { new object[] { 0, "#ffffff" }, new object[] { 1, "#08306b" } },
        };
        var layout = new Layout.Layout
        {
            title = title ?? string.Create(CultureInfo.InvariantCulture, $"Mask of {layer}: {kept:N0} of {values.Length:N0} kept ({Format(1 - (double)kept / Math.Max(values.Length, 1), "%")} sparse); {subtitle}"),
            xaxis = new Xaxis { title = mask.dim() > 2 ? "input (channel x kernel position)" : "input", showgrid = false },
            yaxis = new Yaxis { title = "output unit", autorange = "reversed", showgrid = false },
        };
        return Build([trace], layout);
    }

    /// <summary>
    /// Averages a row-major matrix over blocks so that it has at most <paramref name="maxRows"/> x <paramref name="maxColumns"/>
    /// cells; the last block of a row or column may be smaller. Values are rounded to 3 decimals.
    /// </summary>
    internal static (double[][] Z, int BlockRows, int BlockColumns) Blocks(float[] values, int rows, int columns, int maxRows, int maxColumns)
    {
        int br = (rows + maxRows - 1) / maxRows, bc = (columns + maxColumns - 1) / maxColumns;
        int outRows = (rows + br - 1) / br, outColumns = (columns + bc - 1) / bc;
        var z = new double[outRows][];
        for (int i = 0; i < outRows; i++)
        {
            z[i] = new double[outColumns];
            for (int j = 0; j < outColumns; j++)
            {
                double sum = 0;
                int count = 0;
                for (int r = i * br; r < Math.Min(rows, (i + 1) * br); r++)
                    for (int c = j * bc; c < Math.Min(columns, (j + 1) * bc); c++, count++)
                        sum += values[r * columns + c];
                z[i][j] = Math.Round(sum / count, 3);
            }
        }
        return (z, br, bc);
    }
}
