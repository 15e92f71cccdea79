namespace SparsityKit.Experiments.Replication;

internal static partial class Claims
{
    /// <summary>
    /// Gale et al.'s orderings beyond the MLP (notebook 07): magnitude pruning at least as accurate as variational dropout,
    /// both above random pruning, and the gap to random growing with sparsity, on one model and dataset of 07's store.
    /// </summary>
    /// <param name="modelAndData">What the store's experiment trains, in words: "ResNet-20 on Fashion-MNIST".</param>
    public static IEnumerable<ClaimRow> GaleBeyondMnist(ReportStore store, string modelAndData)
    {
        var magnitude = Level.Of(store.Records, "magnitude", byTarget: true);
        var vd = Level.Of(store.Records, "variational dropout", byTarget: true);
        var random = Level.Of(store.Records, "random", byTarget: true);
        var setting = new Setting(GalePaper, store, $"{modelAndData} instead of ResNet-50 on ImageNet", OutputLayer: "fc");
        string On(string claim) => $"{claim}, on {modelAndData}";

        yield return CompareMethods(setting, On(MagnitudeVdClaim), MagnitudeVdPublished, new MethodPair("magnitude", magnitude, "VD", vd, Expectation.AtLeast));
        yield return CompareMethods(setting, On(AboveRandomClaim), AboveRandomPublished,
            new MethodPair("magnitude", magnitude, "random", random, Expectation.Above), new MethodPair("VD", vd, "random", random, Expectation.Above));
        yield return GapGrows(setting, On(GapClaim), GapPublished, magnitude, random);
    }
}
