namespace SparsityKit.Analysis;

/// <summary>Pareto frontiers: the points no other point beats on both of two measures.</summary>
public static class Pareto
{
    /// <summary>
    /// The items that no other item dominates, where an item dominates another when its <paramref name="cost"/> is no
    /// higher and its <paramref name="value"/> no lower, and one of them strictly. Sorted by cost ascending, so the
    /// values rise strictly along the result (a staircase). Of items equal in both, the first is kept. Items whose
    /// cost or value is not finite are ignored.
    /// </summary>
    /// <example>Accuracy against weights remaining: <c>Pareto.Frontier(records, r => r.WeightsRemaining, r => r.TestAccuracy)</c>.</example>
    public static IReadOnlyList<T> Frontier<T>(IEnumerable<T> items, Func<T, double> cost, Func<T, double> value)
    {
        ArgumentNullException.ThrowIfNull(items);
        var ordered = items.Select((item, index) => (Item: item, Cost: cost(item), Value: value(item), Index: index))
            .Where(p => double.IsFinite(p.Cost) && double.IsFinite(p.Value))
            // Cheapest first; at equal cost the best value first, so the others at that cost are dominated.
            .OrderBy(p => p.Cost).ThenByDescending(p => p.Value).ThenBy(p => p.Index);
        var frontier = new List<T>();
        double best = double.NegativeInfinity;
        foreach (var p in ordered)
        {
            if (p.Value <= best) continue;
            frontier.Add(p.Item);
            best = p.Value;
        }
        return frontier;
    }

    /// <summary>The frontier of (x, y) points where both a smaller x and a larger y are better.</summary>
    public static IReadOnlyList<(double X, double Y)> Frontier(IEnumerable<(double X, double Y)> points) =>
        Frontier(points, p => p.X, p => p.Y);
}
