using SparsityKit.Analysis;

namespace SparsityKit.Tests.Analysis;

public class ParetoTests
{
    [Fact]
    public void The_frontier_keeps_only_undominated_points_sorted_by_cost()
    {
        // (cost, value): (2, 0.5) is beaten by (1, 0.6); (3, 0.6) by (1, 0.6); (4, 0.9) and (5, 0.95) survive.
        (double, double)[] points = [(3, 0.6), (1, 0.6), (2, 0.5), (5, 0.95), (4, 0.9), (0.5, 0.1)];
        Assert.Equal([(0.5, 0.1), (1, 0.6), (4, 0.9), (5, 0.95)], Pareto.Frontier(points));
    }

    [Fact]
    public void At_equal_cost_only_the_best_value_survives_and_ties_keep_the_first()
    {
        var items = new[] { ("a", 1.0, 0.5), ("b", 1.0, 0.7), ("c", 1.0, 0.7), ("d", 2.0, 0.7) };
        var frontier = Pareto.Frontier(items, i => i.Item2, i => i.Item3);
        Assert.Equal(["b"], frontier.Select(i => i.Item1));
    }

    [Fact]
    public void Non_finite_points_are_ignored_and_an_empty_input_gives_an_empty_frontier()
    {
        Assert.Equal([(2.0, 0.5)], Pareto.Frontier([(double.NaN, 0.9), (1.0, double.NaN), (2.0, 0.5)]));
        Assert.Empty(Pareto.Frontier(Array.Empty<(double, double)>()));
    }

    [Fact]
    public void Values_rise_strictly_along_the_frontier()
    {
        var random = new Random(5);
        var points = Enumerable.Range(0, 500).Select(_ => (random.NextDouble(), random.NextDouble())).ToList();
        var frontier = Pareto.Frontier(points);
        for (int i = 1; i < frontier.Count; i++)
        {
            Assert.True(frontier[i].X > frontier[i - 1].X);
            Assert.True(frontier[i].Y > frontier[i - 1].Y);
        }
        // No point beats a frontier point on both measures.
        foreach (var f in frontier)
            Assert.DoesNotContain(points, p => p.Item1 <= f.X && p.Item2 >= f.Y && (p.Item1 < f.X || p.Item2 > f.Y));
        // Every point off the frontier is beaten by some frontier point.
        foreach (var p in points.Except(frontier))
            Assert.Contains(frontier, f => f.X <= p.Item1 && f.Y >= p.Item2);
    }
}
