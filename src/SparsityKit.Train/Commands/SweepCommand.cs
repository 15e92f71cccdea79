// The "sweep" command: a sweep (methods x sparsities x seeds) run in this process through a run store, from a plan file
// (docs/plans) or from options; resumable, and shareable with other processes or Slurm workers on the same store.
using System.CommandLine;
using SparsityKit.Clusters;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Train.CommandLine;
using SparsityKit.Train.Jobs;
using SparsityKit.Training;

namespace SparsityKit.Train.Commands;

public static class SweepCommand
{
    public static Command Create()
    {
        var plan = Options.Text("--plan", "A sweep plan file (JSON, as docs/plans/06-quick.json); or give --methods and --sparsities", "FILE");
        var store = Options.Text("--store", "The run store: the plan is saved there, finished runs are kept and not trained again", "DIR");
        store.Required = true;
        var methods = Options.Named("--methods", "Methods of the catalog, comma-separated (methods lists them)", "A,B,...", [], MethodCatalog.Names,
            text => text.Split(',').All(name => { try { MethodCatalog.Describe(name.Trim()); return true; } catch (ArgumentException) { return false; } }),
            $"use methods of the catalog separated by commas ({string.Join(", ", MethodCatalog.Names)}); 'methods' lists them");
        var sparsities = Options.FractionList("--sparsities", "Target sparsities, comma-separated", "0.9,0.95");
        var seeds = Options.LongList("--seeds", "Seeds, comma-separated (default 1)", "1,2");
        var steps = Options.Int("--steps", "Training steps per run (default 1,000)", 1, "1000");
        var model = Options.Named("--model", "Zoo model (default lenet300-100)", "NAME", [], SparsityKit.Models.Zoo.Names,
            name => { try { SparsityKit.Models.Zoo.Find(name); return true; } catch (ArgumentException) { return false; } }, "use a zoo model; 'models' lists them");
        var dataOptions = new DataOptions(imageFolder: true, sequences: true);
        var (data, dataDirectory, imageSize) = (dataOptions.Data, dataOptions.Directory, dataOptions.ImageSize!);
        var threads = Options.Int("--threads", "libtorch threads (default 1, so that the records are bit-identical run to run)", 1, "1");
        var command = new Command("sweep", "Run a sweep of methods x sparsities x seeds in this process through a run store, and print the summary table")
        {
            plan, store, methods, sparsities, seeds, steps, model, data, dataDirectory, imageSize, threads,
        };
        command.Validators.Add(c =>
        {
            bool Given(Option o) => c.GetResult(o) is not null;
            if (Given(plan) && (Given(methods) || Given(sparsities) || Given(seeds) || Given(steps) || Given(model) || Given(data) || Given(dataDirectory) || Given(imageSize) || Given(threads)))
                c.AddError("--plan FILE holds the whole sweep: drop --methods, --sparsities, --seeds, --steps, --model, --data, --data-dir, --image-size and --threads, or drop --plan.");
            if (!Given(plan)) dataOptions.Check(c);
            if (!Given(plan)) DataOptions.CheckModel(c, c.GetValue(model), c.GetValue(data) ?? "mnist");
            if (!Given(plan) && !(Given(methods) && Given(sparsities)))
                c.AddError("Give --plan FILE, or --methods A,B and --sparsities X,Y (for example: sweep --methods magnitude,rigl --sparsities 0.9,0.95 --store results/my-sweep).");
        });
        command.SetAction(result =>
        {
            var sweep = result.GetValue(plan) is { } file ? SweepPlan.FromJson(File.ReadAllText(file), file) : new SweepPlan
            {
                Experiment = "sweep",
                Model = result.GetValue(model) ?? "lenet300-100",
                Data = DataSpec.Named(result.GetValue(data) ?? "mnist", result.GetValue(dataDirectory), result.GetValue(imageSize)),
                Methods = [.. result.GetValue(methods)!.Split(',', StringSplitOptions.TrimEntries).Select(name => new PlanMethod(name))],
                Sparsities = result.GetValue(sparsities)!,
                Seeds = result.GetValue(seeds) ?? [1],
                Config = Presets.LotteryTicketLeNet300 with { Steps = result.GetValue(steps) ?? 1_000, Schedule = new CosineDecay(), EvaluateEvery = 0 },
                Threads = result.GetValue(threads) ?? 1,
            };
            var runStore = new RunStore(result.GetValue(store)!);
            sweep.Save(runStore);
            Console.WriteLine($"{sweep} -> {runStore.Directory}");
            var records = ProgressDisplay.Run(ProgressDisplay.StyleOf(result), progress => sweep.Run(runStore, progress, log: new TrainingLog(runStore)),
                lineInterval: TimeSpan.FromSeconds(10));
            Console.WriteLine(RecordSummary.Table(records, r => r.TestAccuracy, "test accuracy"));
            return 0;
        });
        return command;
    }
}
