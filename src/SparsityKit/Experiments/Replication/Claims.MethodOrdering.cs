namespace SparsityKit.Experiments.Replication;

/// <summary>
/// Claims that one method is ahead of another at each target sparsity (Gale et al.'s orderings, on any model; Evci et
/// al.'s RigL chain): the comparisons, the verdict, and what in the records differs from the paper's setting.
/// </summary>
internal static partial class Claims
{
    /// <summary>How far (in sparsity) a method's mean achieved sparsity may lie from a target to be compared there: the L0 search's tolerance.</summary>
    public const double TargetTolerance = 0.01;

    /// <summary>Method A against method B at every target both reached, expecting <paramref name="Expected"/> of A.</summary>
    private sealed record MethodPair(string A, IReadOnlyList<Level> LevelsA, string B, IReadOnlyList<Level> LevelsB, Expectation Expected);

    /// <summary>The store a claim reads and the setting it was run in instead of the paper's (the explanation names it).</summary>
    /// <param name="Instead">"LeNet-300-100 on MNIST instead of ResNet-50 and Transformer".</param>
    /// <param name="OutputLayer">The output layer's name, whose sparsity the explanation reports; null for none.</param>
    private sealed record Setting(string Paper, ReportStore Store, string Instead, string? OutputLayer);

    // Papers compare methods at the sparsity each reached. VD cannot prune less than its training did, and L0's lambda
    // search may fall short, so a method that missed a target by more than a point is not compared there.
    private static bool OnTarget(Level l) => Math.Abs(l.AchievedSparsity - (1 - l.Remaining)) <= TargetTolerance;

    private static IEnumerable<(double Remaining, Comparison C)> AtSharedTargets(MethodPair p) =>
        p.LevelsA.Where(OnTarget).Select(x => (x, y: p.LevelsB.Where(OnTarget).FirstOrDefault(y => Math.Abs(y.Remaining - x.Remaining) < 1e-6)))
            .Where(q => q.y is not null)
            .Select(q => (q.x.Remaining, new Comparison(q.x.Of(FinalAccuracy), q.y!.Of(FinalAccuracy), p.Expected)));

    private static string Missed(IEnumerable<(string Name, IReadOnlyList<Level> Levels)> methods)
    {
        var missed = methods.SelectMany(m => m.Levels.Where(l => !OnTarget(l))
            .Select(l => $"{m.Name} at {P(1 - l.Remaining)} (reached {P(l.AchievedSparsity)})")).ToList();
        return missed.Count == 0 ? "" : $"not compared where a method missed its target by more than {100 * TargetTolerance:0.#} point: {string.Join(", ", missed)}";
    }

    // Which settings differ between the methods compared, from the records: the sparsity each reached (said only where a
    // level missed its target) and the output layer's.
    private static string Achieved(string name, IReadOnlyList<Level> levels) => levels.All(OnTarget) ? "" :
        $"{name} reached {string.Join(", ", levels.Select(l => $"{P(l.AchievedSparsity)} at target {P(1 - l.Remaining)}"))}";

    private static string OutputLayerSparsity(string name, IReadOnlyList<Level> levels, string? layer) =>
        layer is not null && levels.Count > 0 && levels[^1].Records.All(r => Layer(r, layer) is not null)
            ? $"{name} prunes {P(levels[^1].Records.Average(r => Layer(r, layer)!.Value))} of the output layer at target {P(1 - levels[^1].Remaining)}" : "";

    private static string NotThePapersSetting(Verdict v, Setting setting, IEnumerable<string> notes)
    {
        if (v is Verdict.Holds or Verdict.NotRun) return "";
        var said = notes.Where(n => n.Length > 0).ToList();
        return $"Not the paper's setting: {setting.Instead}." + (said.Count > 0 ? $" From the records: {string.Join("; ", said)}." : "");
    }

    /// <summary>
    /// One claim over method pairs at every target each pair shares: the verdicts combined, and at the highest shared
    /// target the methods' accuracies. A pair that shares no target leaves the claim not run, naming the targets missed.
    /// </summary>
    private static ClaimRow CompareMethods(Setting setting, string claim, string published, params MethodPair[] pairs)
    {
        var all = pairs.SelectMany(p => AtSharedTargets(p).Select(c => (p.A, p.B, c.Remaining, c.C))).ToList();
        var names = pairs.SelectMany(p => new[] { (p.A, p.LevelsA), (p.B, p.LevelsB) }).DistinctBy(p => p.Item1).ToList();
        string missed = Missed(names);
        if (all.Count == 0) return NotRun(setting.Paper, claim, published, setting.Store, missed.Length > 0 ? missed : null);
        var verdict = VerdictRule.Combine(all.Select(c => c.C.Verdict));
        var highest = all.Where(c => c.Remaining == all.Min(x => x.Remaining)).ToList();
        string kit = $"{all.Count} comparisons over {all.Select(c => c.Remaining).Distinct().Count()} targets, " +
            $"{all.Count(c => c.C.Verdict == Verdict.Holds)} hold, {all.Count(c => c.C.Verdict == Verdict.DoesNotHold)} fail; at {P(1 - highest[0].Remaining)}: " +
            string.Join(", ", highest.Select(c => $"{c.A} {Acc(c.C.A)} vs {c.B} {Acc(c.C.B)}")) + $" ({N(highest[0].C.A.Count)})" +
            (missed.Length > 0 ? $"; {missed}" : "");
        string[] notes = [.. names.Select(n => Achieved(n.Item1, n.Item2)), .. names.Select(n => OutputLayerSparsity(n.Item1, n.Item2, setting.OutputLayer))];
        return Row(setting.Paper, claim, published, kit, verdict, NotThePapersSetting(verdict, setting, notes), setting.Store);
    }

    /// <summary>
    /// "The gap between magnitude and random pruning grows with sparsity": the per-seed gaps (paired by seed) at the
    /// highest target against those at the lowest.
    /// </summary>
    private static ClaimRow GapGrows(Setting setting, string claim, string published, IReadOnlyList<Level> magnitude, IReadOnlyList<Level> random)
    {
        var paired = magnitude.Select(m => (m.Remaining, Gaps: m.Records
                .Select(r => (r, o: random.FirstOrDefault(x => Math.Abs(x.Remaining - m.Remaining) < 1e-6)?.Records.FirstOrDefault(o => o.Seed == r.Seed)))
                .Where(p => p.o is not null).Select(p => p.r.TestAccuracy - p.o!.TestAccuracy).ToList()))
            .Where(g => g.Gaps.Count > 0).ToList();
        if (paired.Count < 2) return NotRun(setting.Paper, claim, published, setting.Store, paired.Count == 0 ? null : "magnitude and random at one target only");
        var c = new Comparison(Spread.Of(paired[^1].Gaps), Spread.Of(paired[0].Gaps), Expectation.Above);
        return Row(setting.Paper, claim, published,
            $"gap {c.B.Format()} points at {P(1 - paired[0].Remaining)} pruned, {c.A.Format()} at {P(1 - paired[^1].Remaining)} ({N(c.A.Count)}, paired by seed)",
            c.Verdict, NotThePapersSetting(c.Verdict, setting, [Achieved("random", random)]), setting.Store);
    }
}
