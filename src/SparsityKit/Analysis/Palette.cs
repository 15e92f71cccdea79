using System.Globalization;

namespace SparsityKit.Analysis;

/// <summary>The colours SparsityKit's charts give to runs and methods, so one run keeps its colour across charts.</summary>
public static class Palette
{
    // Plotly's default qualitative sequence (D3 category 10).
    private static readonly string[] Colours =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The colour of series <paramref name="index"/> (cycling after ten).</summary>
    public static string Colour(int index) => Colours[((index % Colours.Length) + Colours.Length) % Colours.Length];

    /// <summary>The colour of series <paramref name="index"/> as a CSS <c>rgba(…)</c> with the given opacity (for bands).</summary>
    public static string Colour(int index, double opacity)
    {
        var hex = Colour(index);
        int r = Convert.ToInt32(hex[1..3], 16), g = Convert.ToInt32(hex[3..5], 16), b = Convert.ToInt32(hex[5..7], 16);
        return string.Create(CultureInfo.InvariantCulture, $"rgba({r},{g},{b},{opacity:0.###})");
    }
}
