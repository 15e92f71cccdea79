using SparsityKit.Experiments;
using SparsityKit.Train.CommandLine;
using SparsityKit.Train.Commands;

namespace SparsityKit.Tests.CommandLine;

/// <summary>
/// `results --store DIR`: a store's finished runs as tables per experiment, means and spreads over seeds of test accuracy
/// and wall time, the training time summed (a training measured at several targets once), the cells still short of seeds
/// named; a missing store, an empty one and an unknown experiment stop with an error that names them.
/// </summary>
public class ResultsCommandTests
{
    private static RunRecord Run(string experiment, string kind, long seed, double? target, double accuracy, double seconds) => new()
    {
        Experiment = experiment, Kind = kind, Seed = seed, TargetSparsity = target, Sparsity = target ?? 0,
        TestAccuracy = accuracy, TestLoss = 0.3, Steps = 100, WallSeconds = seconds,
    };

    private static string StoreWithTwoExperiments()
    {
        var folder = TestFiles.TemporaryDirectory();
        var store = new RunStore(folder);
        store.Save("cnn/dense/s0-seed1", Run("cnn", "dense", 1, null, 0.90, 60));
        store.Save("cnn/dense/s0-seed2", Run("cnn", "dense", 2, null, 0.92, 120));
        store.Save("cnn/magnitude/s0.9-seed1", Run("cnn", "magnitude", 1, 0.9, 0.88, 30));
        // One variational-dropout training measured at two targets: two records, one wall time.
        store.Save("cnn/vd/s0.8-seed1", Run("cnn", "variational dropout", 1, 0.8, 0.89, 600));
        store.Save("cnn/vd/s0.9-seed1", Run("cnn", "variational dropout", 1, 0.9, 0.87, 600));
        store.Save("mlp/dense/s0-seed1", Run("mlp", "dense", 1, null, 0.98, 6));
        return folder;
    }

    [Fact]
    public void Each_experiment_gets_its_accuracy_and_wall_time_tables_and_its_training_time()
    {
        var text = ResultsCommand.Describe(StoreWithTwoExperiments());

        // cnn: 60 + 120 + 30 + 600 s (the VD training once) = 810 s = 0.225 h.
        Assert.Contains("cnn: 5 runs, seeds 1, 2; 0.23 h of training", text);
        Assert.Contains("mlp: 1 run, seeds 1; 0.00 h of training", text);
        Assert.Contains("91.00 ± 1.41", text);   // dense accuracy over seeds 1 and 2
        Assert.Contains("1.5 ± 0.7", text);      // dense wall time: 1 and 2 minutes
        Assert.Contains("10.0", text);           // VD's one training, 600 s
        Assert.Contains("Cells of fewer than 2 seeds: magnitude at 90% (1), variational dropout at 80% (1), variational dropout at 90% (1).", text);
        Assert.True(text.IndexOf("cnn:", StringComparison.Ordinal) < text.IndexOf("mlp:", StringComparison.Ordinal));

        var only = ResultsCommand.Describe(StoreWithTwoExperiments(), "mlp");
        Assert.DoesNotContain("cnn", only);
        Assert.Contains("98.00", only);

        var markdown = ResultsCommand.Describe(StoreWithTwoExperiments(), "cnn", markdown: true);
        Assert.Contains("| Sparsity | dense (%) | magnitude (%) | variational dropout (%) |", markdown);
        Assert.Contains("| 0% | 91.00 ± 1.41 |  |  |", markdown);
    }

    [Fact]
    public void A_missing_store_an_empty_one_and_an_unknown_experiment_are_named()
    {
        var missing = Path.Combine(TestFiles.TemporaryDirectory(), "no-such-store");
        var (code, error) = Invoke("results", "--store", missing);
        Assert.Equal(Cli.Failure, code);
        Assert.Contains(missing, error);
        Assert.False(Directory.Exists(missing));   // reading creates no store

        var empty = TestFiles.TemporaryDirectory();
        (code, error) = Invoke("results", "--store", empty);
        Assert.Equal(Cli.UsageError, code);
        Assert.Contains("holds no finished run", error);

        (code, error) = Invoke("results", "--store", StoreWithTwoExperiments(), "--experiment", "vgg");
        Assert.Equal(Cli.UsageError, code);
        Assert.Contains("no experiment 'vgg'", error);
        Assert.Contains("'cnn', 'mlp'", error);
    }

    private static (int Code, string Error) Invoke(params string[] args)
    {
        var error = new StringWriter();
        int code = Cli.Invoke(Program.Root(), args, new StringWriter(), error);
        return (code, error.ToString());
    }
}
