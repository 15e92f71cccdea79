using System.Diagnostics;
using SparsityKit.Data;
using SparsityKit.Train.CommandLine;
using SparsityKit.Training;
using SparsityKit.Train.Commands;
using SparsityKit.Train.Jobs;

namespace SparsityKit.Tests.CommandLine;

/// <summary>
/// The command line of src/SparsityKit.Train: the original flag forms (which CI and other issues run word for word)
/// parse to the same jobs as before and as the new subcommands; help lists the subcommands; bad values stop with an
/// error naming the option and the fix and a non-zero exit code; progress is plain text when output is redirected.
/// </summary>
public class CommandLineTests
{
    private static TrainRequest? RequestOf(string commandLine)
    {
        var result = Program.Root().Parse(commandLine);
        Assert.Empty(result.Errors);
        return TrainingCommands.RequestOf(result);
    }

    [Theory]
    [InlineData("--list-models", TrainKind.ListModels)]
    [InlineData("--list-methods", TrainKind.ListMethods)]
    [InlineData("", TrainKind.LeNet)]
    [InlineData("--full", TrainKind.LeNet)]
    [InlineData("--method rigl --sparsity 0.9 --steps 300", TrainKind.Method)]
    [InlineData("--steps 30 --method magnitude --sparsity 0.95 --export out", TrainKind.Method)]
    [InlineData("--model resnet20 --data fashion-mnist --steps 30", TrainKind.ZooModel)]
    [InlineData("--model vit-small --data mnist", TrainKind.ZooModel)]
    [InlineData("--model resnet20 --method magnitude --sparsity 0.9 --steps 10", TrainKind.Method)]
    public void Original_flag_forms_still_parse_to_their_job(string commandLine, TrainKind kind) =>
        Assert.Equal(kind, RequestOf(commandLine)!.Kind);

    [Fact]
    public void Original_flag_forms_keep_their_values_and_defaults()
    {
        var method = RequestOf("--steps 30 --method magnitude --sparsity 0.95 --export out")!;
        Assert.Equal(("magnitude", 0.95, 30, "out", "mnist"), (method.Method, method.Sparsity, method.StepsOrDefault, method.ExportDirectory, method.Data));
        var recipe = RequestOf("prune --method rigl --recipe rigl-mnist")!;
        Assert.Equal(("rigl-mnist", 120_000), (recipe.Recipe, recipe.StepsOrDefault));
        Assert.Equal(6_000, RequestOf("prune --method rigl")!.StepsOrDefault);
        Assert.Equal(Augmentation.CropAndFlip(), ZooModelJob.Config(RequestOf("train --model resnet20 --augment crop-flip")!).Augmentation);
        Assert.Equal(new Augmentation { CropPadding = 4 }, ZooModelJob.Config(RequestOf("--model resnet20 --augment crop")!).Augmentation);
        Assert.Null(ZooModelJob.Config(RequestOf("--model resnet20")!).Augmentation);
        Assert.True(ZooModelJob.Config(RequestOf("--model resnet20 --channels-last")!).ChannelsLast);
        Assert.False(ZooModelJob.Config(RequestOf("--model resnet20")!).ChannelsLast);
        var zoo = RequestOf("--model vit-small --data mnist")!;
        Assert.Equal(("vit-small", TrainRequest.ZooSteps, 60, 1e-3), (zoo.Model, zoo.StepsOrDefault, zoo.BatchSize, zoo.LearningRate));
        Assert.Equal(50_000, RequestOf("--full")!.StepsOrDefault);
        var lenet = RequestOf("--constant-lr --seed 3 --dataset fashion-mnist")!;
        Assert.Equal((TrainRequest.LeNetSteps, 3L, true, "fashion-mnist"), (lenet.StepsOrDefault, lenet.Seed, lenet.ConstantLearningRate, lenet.Data));
    }

    [Theory]
    [InlineData("--method rigl --sparsity 0.9 --steps 300", "train --method rigl --sparsity 0.9 --steps 300")]
    [InlineData("--method rigl --sparsity 0.9 --steps 300", "prune --method rigl --sparsity 0.9 --steps 300")]
    [InlineData("--method magnitude --sparsity 0.9", "prune")]
    [InlineData("--steps 30 --method magnitude --sparsity 0.95 --export out", "export out --method magnitude --sparsity 0.95 --steps 30")]
    [InlineData("--full --export out", "export out --full")]
    [InlineData("--model resnet20 --data fashion-mnist --steps 30", "train --model resnet20 --dataset fashion-mnist --steps 30")]
    [InlineData("--list-models", "models")]
    [InlineData("--list-methods", "methods")]
    public void Subcommands_ask_for_what_the_original_flags_ask_for(string original, string subcommand) =>
        Assert.Equal(RequestOf(original), RequestOf(subcommand));

    [Theory]
    [InlineData("worker --store /tmp/store", "worker")]
    [InlineData("worker --store /tmp/store --poll 10 --threads 1", "worker")]
    [InlineData("submit --plan docs/plans/06-quick.json --store /tmp/s --tasks 2 --time 1-12:00:00 --sbatch-option --qos=short --dry-run --wait", "submit")]
    [InlineData("replicate checkpoint --threads 1 --steps 500 --store /tmp/s", "checkpoint")]
    [InlineData("replicate lottery --seeds 1,2 --rounds 3 --scratch-b false", "lottery")]
    [InlineData("vdl0 l0-search --target 0.9 --lambda 2 --factor 4 --trials 6 --tolerance 0.01 --epochs 30", "l0-search")]
    [InlineData("vdl0 vd --threshold-sparsities 0.9,0.95,0.99", "vd")]
    public void Other_commands_parse_to_their_command(string commandLine, string command)
    {
        var result = Program.Root().Parse(commandLine);
        Assert.Empty(result.Errors);
        Assert.Equal(command, result.CommandResult.Command.Name);
        Assert.Null(TrainingCommands.RequestOf(result));
    }

    [Fact]
    public void Help_lists_every_subcommand_and_exits_0()
    {
        var (code, output, _) = Invoke("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "train", "prune", "lottery", "sweep", "bench", "export", "models", "methods", "replicate", "vdl0", "worker", "submit", "results" })
            Assert.Matches($@"(?m)^\s+{command}\b", output);
        Assert.Contains("--list-models", output);
        Assert.Contains("--progress", output);
    }

    [Theory]
    [InlineData("--sparsity 1.5 --method rigl", "--sparsity 1.5", "e.g. --sparsity 0.9")]
    [InlineData("--steps abc", "--steps abc", "e.g. --steps 300")]
    [InlineData("train --steps 0", "--steps 0", "at least 1")]
    [InlineData("--method nope", "--method nope", "rigl")]
    [InlineData("--model resnet99", "--model resnet99", "resnet20")]
    [InlineData("--data cifar", "--data cifar", "fashion-mnist")]
    [InlineData("--model resnet20 --data cifar10", "--data cifar10", "add --data-dir DIR")]
    [InlineData("--model resnet20 --data-dir d", "--data-dir applies with --data cifar10, cifar100, image-folder or parallel-text", "drop --data-dir")]
    [InlineData("--data cifar100 --data-dir d", "--data cifar100 applies with --model", "add --model NAME")]
    [InlineData("--model resnet50 --data image-folder", "--data image-folder", "add --data-dir DIR")]
    [InlineData("--model resnet20 --data cifar10 --data-dir d --image-size 32", "--image-size applies with --data image-folder", "drop --image-size")]
    [InlineData("--model resnet20 --data copy", "--data copy is sequence pairs", "transformer-small")]
    [InlineData("--model transformer-small", "--model transformer-small takes token sequences", "--data copy")]
    [InlineData("--data reverse", "--data reverse applies with --model", "transformer-small")]
    [InlineData("--model transformer-small --data parallel-text", "--data parallel-text", "add --data-dir FILE")]
    [InlineData("--model transformer-small --data copy --augment crop", "--augment applies to image models", "drop --augment")]
    [InlineData("--full --steps 5", "--full and --steps", "give one of them")]
    [InlineData("--model resnet20 --method rigl --recipe rigl-mnist", "--recipe rigl-mnist", "he-cifar-resnet")]
    [InlineData("--sparsity 0.5", "--sparsity applies with --method only", "add --method NAME")]
    [InlineData("--recipe rigl-mnist", "--recipe applies with --method or --model", "add --method NAME")]
    [InlineData("--model resnet20 --recipe rigl-mnist", "--recipe rigl-mnist", "he-cifar-resnet")]
    [InlineData("--method rigl --recipe he-cifar-resnet", "--recipe he-cifar-resnet", "rigl-mnist")]
    [InlineData("--model resnet20 --recipe he-cifar-resnet --lr 0.01", "--recipe he-cifar-resnet sets", "drop --lr")]
    [InlineData("--augment crop-flip", "--augment applies with --model only", "add --model NAME")]
    [InlineData("--model resnet20 --augment flip", "--augment flip", "crop-flip")]
    [InlineData("--channels-last", "--channels-last applies with --model only", "add --model NAME")]
    [InlineData("prune --method rigl --recipe rigl", "--recipe rigl", "rigl-mnist")]
    [InlineData("train --bogus", "--bogus", "train --help")]
    [InlineData("worker", "--store", "worker --help")]
    [InlineData("results", "--store", "results --help")]
    [InlineData("submit --plan p.json --store s --time soon", "--time soon", "1-12:00:00")]
    [InlineData("replicate", "command", "replicate --help")]
    [InlineData("replicate lottery --seeds 1,1", "--seeds 1,1", "distinct")]
    [InlineData("vdl0 vd --epochs 0", "--epochs 0", "at least 1")]
    [InlineData("lottery --controls everything", "--controls everything", "random-reinit")]
    [InlineData("lottery --model conv2 --data cifar10", "--data cifar10", "add --data-dir DIR")]
    [InlineData("lottery --data-dir d", "--data-dir applies with --data cifar10, cifar100 or parallel-text", "drop --data-dir")]
    [InlineData("lottery --model transformer-small", "--model transformer-small takes token sequences", "--data copy")]
    [InlineData("lottery --model vit-smal", "--model vit-smal", "conv2")]
    [InlineData("sweep --store s", "--plan FILE", "--methods")]
    [InlineData("sweep --methods magnitude --sparsities 0.5 --store s --data cifar10", "--data cifar10", "add --data-dir DIR")]
    [InlineData("sweep --methods magnitude --sparsities 0.5 --store s --data mnist --image-size 32", "--image-size applies with --data image-folder", "drop --image-size")]
    [InlineData("sweep --methods magnitude --sparsities 0.5 --store s --data copy", "--data copy is sequence pairs", "--model transformer-small")]
    public void A_bad_value_names_the_option_and_the_fix_and_exits_2(string commandLine, string problem, string fix)
    {
        var (code, output, error) = Invoke(commandLine.Split(' '));
        Assert.Equal(Cli.UsageError, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains(problem, error);
        Assert.Contains(fix, error);
        Assert.Equal("", output);
    }

    [Fact]
    public void A_zoo_model_takes_a_published_recipe_by_name()
    {
        // He et al.'s CIFAR ResNet recipe: SGD momentum 0.9, rate 0.1 / 10 at 32k and 48k, batch 128, 64k steps.
        var he = ZooModelJob.Config(RequestOf("--model resnet20 --recipe he-cifar-resnet")!);
        Assert.Equal((64_000, 128), (he.Steps, he.BatchSize));
        Assert.Equal(new Sgd(0.1, Momentum: 0.9, WeightDecay: 1e-4), he.Optimizer);
        Assert.Same(Presets.HeCifarResNet.Schedule, he.Schedule);
        var shorter = ZooModelJob.Config(RequestOf("--model resnet20 --recipe he-cifar-resnet --steps 300 --augment crop-flip")!);
        Assert.Equal((300, 128, he.Optimizer, Augmentation.CropAndFlip()), (shorter.Steps, shorter.BatchSize, shorter.Optimizer, shorter.Augmentation));
        Assert.Equal(0.1, ZooModelJob.Config(RequestOf("--model resnet50 --recipe gale-resnet50 --steps 10")!).LabelSmoothing);
        Assert.Equal(Presets.LotteryTicketConv4, ZooRecipe.Find("lottery-conv4").Config);
        var vaswani = ZooModelJob.Config(RequestOf("--model transformer-small --data copy --recipe vaswani-transformer --steps 10")!);
        Assert.Equal((0.1, 0.98), (vaswani.LabelSmoothing, ((Adam)vaswani.Optimizer).Beta2));
        Assert.Contains("he-cifar-resnet", Assert.Throws<ArgumentException>(() => ZooRecipe.Find("he")).Message);
        Assert.IsType<Adam>(ZooModelJob.Config(RequestOf("--model resnet20")!).Optimizer);
    }

    [Fact]
    public void A_zoo_model_trains_on_cifar10_from_the_folder_named()
    {
        Assert.Equal(("cifar10", "/data/cifar"), RequestOf("--model resnet20 --data cifar10 --data-dir /data/cifar") is { } r ? (r.Data, r.DataDirectory) : default);
        string root = Data.CifarReaderTests.WriteCifar10(perBatch: 10);   // tiny batch files in the official binary layout
        var (code, output, error) = RunProgram($"--model conv2 --data cifar10 --data-dir \"{root}\" --steps 2 --batch-size 8");
        Assert.True(code == 0, error);
        Assert.Contains("conv2 on 3x32x32", output);
        Assert.Matches(@"test accuracy: \d+\.\d\d %", output);

        // Pruned with a method of the catalog, as LeNet-300-100 is (the command's one last line), and exported for PyTorch.
        string export = Path.Combine(TestFiles.TemporaryDirectory(), "out");
        var (pruned, prunedOutput, prunedError) = RunProgram(
            $"--model conv2 --data cifar10 --data-dir \"{root}\" --method magnitude --sparsity 0.5 --steps 8 --batch-size 8 --export \"{export}\"");
        Assert.True(pruned == 0, prunedError);
        Assert.Matches(@"magnitude \(.*\): sparsity 50\.00 %, test accuracy \d+\.\d\d % \(.* s\)\s*$", prunedOutput);
        using var description = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(export, "model.json")));
        Assert.Equal("conv2", description.RootElement.GetProperty("architecture").GetString());
        Assert.Equal([3, 32, 32], description.RootElement.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(CifarVersion.Cifar10.Mean, description.RootElement.GetProperty("normalisation").GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()));
        using var reloaded = SparsityKit.Models.Zoo.Create("conv2", seed: 9, device: TorchSharp.torch.CPU, inputShape: [3, 32, 32], classes: 10);
        var masks = SparsityKit.Interop.PyTorchFiles.LoadInto(reloaded, Path.Combine(export, "model.pruned.pt"));
        Assert.Equal(0.5, masks!.Sparsity, 3);

        var (missing, _, why) = RunProgram($"--model conv2 --data cifar100 --data-dir \"{root}\" --steps 2");
        Assert.Equal(Cli.UsageError, missing);   // bad input, as a bad option value
        Assert.Contains("cifar-100-binary.tar.gz", why);   // names what to put there
    }

    [Fact]
    public void A_zoo_model_trains_on_an_image_folder_streamed_from_disk()
    {
        Assert.Equal(("image-folder", "/data/imagenet", null), RequestOf("--model resnet50 --data image-folder --data-dir /data/imagenet") is { } r
            ? (r.Data, r.DataDirectory, r.ImageSize) : default);
        string root = Data.ImageFolderTests.MakeFolder(perClass: 4);   // 3 classes, images of 20-40 pixels a side
        var (code, output, error) = RunProgram($"--model conv2 --data image-folder --data-dir \"{root}\" --image-size 32 --steps 2 --batch-size 4");
        Assert.True(code == 0, error);
        Assert.Contains("in 3 classes", output);
        Assert.Contains("conv2 on 3x32x32", output);
        Assert.Matches(@"test accuracy: \d+\.\d\d %", output);
    }

    [Fact]
    public void The_lottery_runs_on_a_zoo_model_and_cifar_with_a_published_recipe()
    {
        string root = Data.CifarReaderTests.WriteCifar10(perBatch: 1_020);   // 5,100 images: the 5,000-image validation split leaves 100
        string store = TestFiles.TemporaryDirectory();
        var (code, _, error) = Invoke("lottery", "--model", "conv2", "--data", "cifar10", "--data-dir", root, "--recipe", "lottery-conv2",
            "--rounds", "1", "--steps", "2", "--controls", "none", "--store", store);
        Assert.True(code == 0, error);
        var records = new SparsityKit.Experiments.RunStore(store).All();
        Assert.Equal(["dense", "ticket"], records.Select(r => r.Kind).Order());
        Assert.All(records, r => Assert.StartsWith("conv2-lottery", r.Experiment));
        Assert.Contains(records, r => r.Kind == "ticket" && r.Sparsity > 0.05);
    }

    [Fact]
    public void The_transformer_trains_and_prunes_on_sequence_pairs_from_the_command_line()
    {
        var (code, output, error) = RunProgram("--model transformer-small --data copy --steps 3 --batch-size 8");
        Assert.True(code == 0, error);
        Assert.Matches(@"test accuracy: \d+\.\d\d %", output);

        string corpus = Path.Combine(TestFiles.TemporaryDirectory(), "pairs.tsv");
        File.WriteAllLines(corpus, Enumerable.Range(0, 40).Select(i => $"a{i % 7} b{i % 5} c\tx{i % 5} y{i % 7}"));
        (code, output, error) = RunProgram($"--model transformer-small --data parallel-text --data-dir \"{corpus}\" --method magnitude --sparsity 0.5 --steps 3 --batch-size 8");
        Assert.True(code == 0, error);
        Assert.Contains("sparsity 50.00 %", output);
    }

    [Fact]
    public void A_sweep_streams_a_zoo_model_s_data_from_an_image_folder()
    {
        string root = Data.ImageFolderTests.MakeFolder(perClass: 20);   // 3 classes: one batch of 60, the sweep's
        string store = TestFiles.TemporaryDirectory();
        var (code, _, error) = Invoke("sweep", "--model", "conv2", "--data", "image-folder", "--data-dir", root, "--image-size", "16",
            "--methods", "magnitude", "--sparsities", "0.5", "--steps", "2", "--store", store);
        Assert.True(code == 0, error);
        var record = Assert.Single(new SparsityKit.Experiments.RunStore(store).All());
        Assert.Equal("magnitude", record.Kind);
        var data = SparsityKit.Clusters.SweepPlan.Load(new SparsityKit.Experiments.RunStore(store)).Data;   // what a Slurm worker rebuilds
        Assert.Equal(("image-folder", root, 16), (data.Name, data.Folder, data.CropSize));
    }

    [Fact]
    public void The_lottery_runs_on_the_transformer_and_sequence_pairs()
    {
        string store = TestFiles.TemporaryDirectory();
        var (code, _, error) = Invoke("lottery", "--model", "transformer-small", "--data", "reverse", "--rounds", "1", "--steps", "2",
            "--controls", "none", "--store", store);
        Assert.True(code == 0, error);
        var records = new SparsityKit.Experiments.RunStore(store).All();
        Assert.Equal(["dense", "ticket"], records.Select(r => r.Kind).Order());
        Assert.All(records, r => Assert.StartsWith("transformer-small-lottery", r.Experiment));
    }

    [Fact]
    public void A_command_that_fails_while_running_says_why_and_exits_1()
    {
        var missing = Path.Combine(TestFiles.TemporaryDirectory(), "missing.json");
        var (code, _, error) = Invoke("sweep", "--plan", missing, "--store", TestFiles.TemporaryDirectory());
        Assert.Equal(Cli.Failure, code);
        Assert.Contains($"error: Could not find file '{missing}'", error);
    }

    [Fact]
    public void Completion_offers_methods_models_and_subcommands()
    {
        Assert.Contains("rigl", Program.Root().Parse("prune --method ri").GetCompletions().Select(c => c.Label));
        Assert.Contains("resnet20", Program.Root().Parse("--model resn").GetCompletions().Select(c => c.Label));
        var replicate = Program.Root().Parse("replicate lo").GetCompletions().Select(c => c.Label).ToList();
        Assert.Equal(["lottery"], replicate);
    }

    [Theory]
    [InlineData(ProgressStyle.Auto, true, "xterm-256color", false)]
    [InlineData(ProgressStyle.Auto, false, "xterm-256color", true)]
    [InlineData(ProgressStyle.Auto, false, "dumb", false)]
    [InlineData(ProgressStyle.Lines, false, "xterm-256color", false)]
    [InlineData(ProgressStyle.Bar, true, null, true)]
    public void The_live_bar_is_drawn_on_terminals_only_unless_forced(ProgressStyle style, bool redirected, string? term, bool bar) =>
        Assert.Equal(bar, ProgressDisplay.UsesBar(style, redirected, term));

    [Fact]
    public void Redirected_output_is_plain_lines_ending_with_the_method_line()
    {
        // The original form as CI runs it, in a child process whose output goes to a pipe: progress lines, no ANSI codes.
        var (code, output, error) = RunProgram("--method magnitude --sparsity 0.5 --steps 20");
        Assert.True(code == 0, error);
        Assert.DoesNotContain('\u001b', output);
        Assert.Contains("step 20/20 (100 %)", output);
        Assert.Matches(@"magnitude \(.*\): sparsity 50\.00 %, test accuracy \d+\.\d\d % \(.* s\)\s*$", output);
    }

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Cli.Invoke(Program.Root(), args.Where(a => a.Length > 0).ToArray(), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static (int Code, string Output, string Error) RunProgram(string arguments)
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "SparsityKit.sln"))) repository = repository.Parent!;
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "SparsityKit.Train.dll")}\" {arguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository.FullName,
        };
        start.Environment["TERM"] = "xterm-256color";   // a terminal type that would take colours: only the redirection may keep them out
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
