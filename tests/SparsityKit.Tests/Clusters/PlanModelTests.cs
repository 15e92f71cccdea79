using SparsityKit.Clusters;
using SparsityKit.Experiments;
using SparsityKit.Training;

namespace SparsityKit.Tests.Clusters;

/// <summary>Plans on zoo models whose default input is not the data's (the CIFAR models on 1x16x16 synthetic images).</summary>
public class PlanModelTests
{
    // 3 classes of 1x16x16 images: Conv-2 and ResNet-20 default to 3x32x32 and 10 classes.
    private static readonly DataSpec SmallGreyImages = DataSpec.Synthetic(trainCount: 40, testCount: 20, classCount: 3, imageSize: 16, seed: 3);
    private static readonly TrainConfig TwoSteps = new() { Steps = 2, BatchSize = 10, EvaluateEvery = 0 };

    // One seed of magnitude pruning to 50% for two steps: a plan whose model and data are what a test is about.
    private static SweepPlan MagnitudeAtHalf(string experiment, string model, DataSpec data, int batchSize) => new()
    {
        Experiment = experiment, Model = model, Data = data, Methods = [PlanMethod.Of("magnitude")], Sparsities = [0.5], Seeds = [1],
        Config = TwoSteps with { BatchSize = batchSize }, Threads = 1,
    };

    [Fact]
    public void A_sweep_plan_builds_its_model_for_the_data_s_image_shape_and_classes()
    {
        var plan = new SweepPlan
        {
            Experiment = "plan-model-shape",
            Model = "conv2",
            Data = SmallGreyImages,
            Methods = [PlanMethod.Of("magnitude").With("distribution", "uniform-first-dense"), PlanMethod.Of("vd")],
            Sparsities = [0.5],
            Seeds = [1],
            Config = TwoSteps,
            Threads = 1,
        };
        var records = plan.Run(new RunStore(TestFiles.TemporaryDirectory()));

        Assert.Equal(2, records.Count);
        var magnitude = records.Single(r => r.Kind == "magnitude");
        Assert.Equal(0, magnitude.LayerSparsity!.First().Value);          // the first layer kept dense...
        Assert.Equal(0.5, magnitude.LayerSparsity!.Last().Value, 2);       // ...the others at the target
    }

    [Fact]
    public void A_lottery_plan_builds_its_model_for_the_data_s_image_shape_and_classes()
    {
        var plan = new LotteryPlan
        {
            Experiment = "plan-model-shape-lottery",
            Model = "conv2",
            Data = SmallGreyImages,
            Config = TwoSteps,
            Lottery = new LotteryConfig { Rounds = 1, Seeds = [1], Controls = LotteryControls.None },
            Threads = 1,
        };
        var result = plan.Run(new RunStore(TestFiles.TemporaryDirectory()));

        Assert.Equal(2, result.Records.Count);   // dense and round 1's ticket
    }

    [Fact]
    public void A_plan_s_variational_dropout_recomputes_batch_norm_statistics_only_on_a_model_that_has_batch_norm()
    {
        using var data = SmallGreyImages.Load();
        SweepMethod Resolve(string model, PlanMethod method)
        {
            var plan = new SweepPlan
            {
                Experiment = "plan-vd-batch-norm", Model = model, Data = SmallGreyImages, Methods = [method], Sparsities = [0.5], Seeds = [1],
                Config = TwoSteps,
            };
            return PlanMethods.Resolve(method, new PlanContext(plan, data));
        }

        Assert.Equal(100, Resolve("resnet20", PlanMethod.Of("vd")).RecomputeBatchNormBatches);
        Assert.Equal(0, Resolve("lenet300-100", PlanMethod.Of("vd")).RecomputeBatchNormBatches);   // no batch norm: keys as before
        Assert.Equal(7, Resolve("resnet20", PlanMethod.Of("vd").With("batch-norm-batches", 7)).RecomputeBatchNormBatches);
        Assert.Equal(0, Resolve("resnet20", PlanMethod.Of("vd").With("batch-norm-batches", 0)).RecomputeBatchNormBatches);
        Assert.Contains("batch-norm-batches=-1", Assert.Throws<ArgumentException>(() =>
            Resolve("resnet20", PlanMethod.Of("vd").With("batch-norm-batches", -1))).Message);
    }

    [Fact]
    public void A_sweep_plan_trains_on_cifar_from_the_folder_it_names_and_refuses_cifar_without_one()
    {
        var plan = MagnitudeAtHalf("plan-cifar", "conv2", DataSpec.Cifar10(Data.CifarReaderTests.WriteCifar10(perBatch: 8)), batchSize: 8);
        plan.Validate();   // portable: survives its JSON, as a worker reads it
        Assert.Equal([3L, 32, 32], plan.Data.ImageShape);
        Assert.Equal((10, 40L), (plan.Data.Classes, plan.Data.TrainingExamples));   // 5 batch files of 8 records
        var record = Assert.Single(plan.Run(new RunStore(TestFiles.TemporaryDirectory())));
        Assert.Equal(0.5, record.Sparsity, 2);

        var noFolder = plan with { Data = new DataSpec { Name = "cifar10" } };
        var e = Assert.Throws<ArgumentException>(() => noFolder.Validate());
        Assert.Contains("Folder", e.Message);
    }

    [Fact]
    public void A_sweep_plan_streams_an_image_folder_it_names_and_a_lottery_plan_refuses_one()
    {
        string root = Data.ImageFolderTests.MakeFolder(perClass: 4);   // 3 classes of 4 training images, 2 held out each
        var plan = MagnitudeAtHalf("plan-image-folder", "conv2", DataSpec.ImageFolder(root, cropSize: 16), batchSize: 4);
        plan.Validate();   // portable: survives its JSON, as a worker reads it
        Assert.Equal([3L, 16, 16], plan.Data.ImageShape);
        Assert.Equal((3, 12L), (plan.Data.Classes, plan.Data.TrainingExamples));
        var record = Assert.Single(plan.Run(new RunStore(TestFiles.TemporaryDirectory())));
        Assert.Equal(0.5, record.Sparsity, 2);
        Assert.Contains(Path.GetFileName(root), record.Config);   // the key names the folder (and hashes its files)

        Assert.Contains("Validation", Assert.Throws<ArgumentException>(() => (plan with { Data = plan.Data with { Validation = 2 } }).Validate()).Message);
        Assert.Contains("Folder", Assert.Throws<ArgumentException>(() => (plan with { Data = new DataSpec { Name = "image-folder" } }).Validate()).Message);
        var lottery = new LotteryPlan
        {
            Experiment = "plan-image-folder-lottery", Model = "conv2", Data = plan.Data, Config = plan.Config,
            Lottery = new LotteryConfig { Rounds = 1, Seeds = [1], Controls = LotteryControls.None },
        };
        Assert.Contains("SweepPlan", Assert.Throws<ArgumentException>(() => lottery.Validate()).Message);
    }

    [Fact]
    public void Sweep_and_lottery_plans_train_a_transformer_on_sequence_pairs_they_name()
    {
        var plan = MagnitudeAtHalf("plan-transformer", "transformer-small", DataSpec.Sequences(SparsityKit.Data.SequenceTask.Reverse, trainCount: 40, testCount: 8, seed: 2), batchSize: 8);
        plan.Validate();   // portable: survives its JSON, as a worker reads it
        Assert.Equal(14, plan.Data.Classes);   // 10 symbols and <pad>, <bos>, <eos>, <unk>
        Assert.Equal([2L, 9], plan.Data.ImageShape);   // up to 8 symbols and <eos>
        var record = Assert.Single(plan.Run(new RunStore(TestFiles.TemporaryDirectory())));
        Assert.Equal(0.5, record.Sparsity, 2);
        Assert.InRange(record.TestAccuracy, 0, 1);

        Assert.Contains("Folder", Assert.Throws<ArgumentException>(() => (plan with { Data = new DataSpec { Name = "parallel-text" } }).Validate()).Message);

        var lottery = new LotteryPlan
        {
            Experiment = "plan-transformer-lottery", Model = "transformer-small", Data = plan.Data, Config = plan.Config,
            Lottery = new LotteryConfig { Rounds = 1, Seeds = [1], Controls = LotteryControls.None }, Threads = 1,
        };
        lottery.Validate();
        Assert.Equal(["dense", "ticket"], lottery.Run(new RunStore(TestFiles.TemporaryDirectory())).Records.Select(r => r.Kind).Order());
    }
}
