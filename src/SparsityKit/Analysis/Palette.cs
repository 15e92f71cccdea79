namespace SparsityKit.Analysis;

/// <summary>The colours SparsityKit's charts give to runs and methods, so one run keeps its colour across charts.</summary>
public static class Palette
{
    // Plotly's default qualitative sequence (D3 category 10).
    private static readonly string[] Colours =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The colour of series <paramref name="index"/> (cycling after ten).</summary>
    public static string Colour(int index) => Colours[((index % Colours.Length) + Colours.Length) % Colours.Length];
}
