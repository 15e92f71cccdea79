using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Analysis;

/// <summary>Training runs made by hand (no training), so charts and tables have known contents.</summary>
internal static class Runs
{
    public static TrainingRun Make(string name, params HistoryRow[] history) =>
        new(name, Zoo.LeNet300_100(device: CPU), new TrainConfig { Steps = (int)history[^1].Step }, null, history,
            new Dictionary<long, WeightSnapshot>(), TimeSpan.FromSeconds(1));

    public static TrainingRun Dense() => Make("dense", new HistoryRow(100, 0.5, 0.4, 0.9), new HistoryRow(200, 0.3, 0.25, 0.95));
}
