namespace SparsityKit.Experiments.Replication;

internal static partial class Claims
{
    private const string EvciPaper = "Evci et al. 2020";

    /// <summary>
    /// Evci et al.'s (RigL's) orderings at equal training, from notebook 08's store: RigL above SET above static sparse
    /// training, and pruning during training at least as accurate as RigL at 1x training.
    /// </summary>
    public static IEnumerable<ClaimRow> Evci(ReportStore store)
    {
        const string c1 = "RigL is above SET, and SET above static sparse training, at equal training";
        const string p1 = "ResNet-50 on ImageNet at 80% / 90%, uniform, 1x: RigL 74.6 / 72.0, SET 72.9 / 69.6, static 70.6 / 65.8";
        const string c2 = "Pruning during training is at least as accurate as RigL at equal (1x) training";
        const string p2 = "ResNet-50 at 80% / 90%, 1x: pruning (Gale et al.) 75.6 / 73.9, RigL 74.6 / 72.0, RigL with ERK 75.1 / 73.0";
        var rigl = Level.Of(store.Records, "RigL", byTarget: true);
        var set = Level.Of(store.Records, "SET", byTarget: true);
        var staticMask = Level.Of(store.Records, "static", byTarget: true);
        var magnitude = Level.Of(store.Records, "magnitude", byTarget: true);
        long steps = store.Records is { Count: > 0 } records ? records.Max(r => r.Steps) : 0;
        var setting = new Setting(EvciPaper, store, $"LeNet-300-100 on MNIST for {steps:N0} steps instead of ResNet-50 on ImageNet", OutputLayer: "fc3");

        yield return CompareMethods(setting, c1, p1,
            new MethodPair("RigL", rigl, "SET", set, Expectation.Above), new MethodPair("SET", set, "static", staticMask, Expectation.Above));
        yield return CompareMethods(setting, c2, p2, new MethodPair("magnitude", magnitude, "RigL", rigl, Expectation.AtLeast));
    }
}
