using SparsityKit.Clusters;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Sparsity;
using SparsityKit.Training;

namespace SparsityKit.Tests.Clusters;

/// <summary>Plans submitted as job arrays to the local Slurm (scripts/local-slurm.sh), against the same plans run here.</summary>
public class SlurmTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(0.5);

    // 2 methods x 3 sparsities x 2 seeds = 12 short runs on a tiny synthetic set, one thread as in the workers.
    private static SweepPlan TwelveRuns(string name, int steps) => new()
    {
        Experiment = name,
        Model = "lenet300-100",
        Data = DataSpec.Synthetic(trainCount: 120, testCount: 60, seed: 5),
        Methods = [PlanMethod.Of("magnitude"), PlanMethod.Of("random").With("schedule", "one-shot").With("at", 0.25)],
        Sparsities = [0.5, 0.8, 0.9],
        Seeds = [1, 2],
        Config = new TrainConfig { Steps = steps, BatchSize = 20, EvaluateEvery = 0 },
        Threads = 1,
    };

    [Fact]
    public void Slurm_array_of_four_tasks_completes_a_twelve_run_plan_once_each_equal_to_a_local_run()
    {
        LocalSlurm.EnsureUp();
        var plan = TwelveRuns("slurm-twelve", steps: 12);
        var local = plan.Run(new RunStore(TestFiles.TemporaryDirectory()));

        var store = new RunStore(TestFiles.TemporaryDirectory());
        var job = Cluster.Submit(plan, store, new SlurmOptions { Tasks = 4, Poll = Fast, JobName = "sk-test-twelve" });
        Assert.NotNull(job.JobId);
        var records = Cluster.Wait(job, poll: Fast, timeout: TimeSpan.FromMinutes(5));
        var ended = WaitForTasksToEnd(job);

        Assert.All(ended.Tasks, t => Assert.Equal("COMPLETED", t.State));
        Assert.Equal(12, records.Count);
        Assert.Equal(12, store.All().Count(r => r.Experiment == plan.Experiment));   // every record once
        for (int i = 0; i < local.Count; i++)
        {
            Assert.Equal((local[i].Kind, local[i].TargetSparsity, local[i].Seed), (records[i].Kind, records[i].TargetSparsity, records[i].Seed));
            Assert.Equal(local[i].TestAccuracy, records[i].TestAccuracy);
            Assert.Equal(local[i].TestLoss, records[i].TestLoss);
            Assert.Equal(local[i].Sparsity, records[i].Sparsity);
            Assert.Equal(local[i].LayerSparsity, records[i].LayerSparsity);
        }

        var log = TrainingLog.Read(store);
        Assert.All(log, e => Assert.StartsWith($"{job.JobId}_", e.Task));   // trained by the array's tasks, not here
        Assert.Equal(12, log.Count(e => e.Event == "started"));             // no run trained twice...
        Assert.Equal(12, log.Where(e => e.Event == "finished").Select(e => e.Run).Distinct().Count());   // ...and each finished
        Assert.Equal(12, ended.RunsDone);
    }

    [Fact]
    public void Slurm_task_cancelled_mid_plan_and_requeued_still_completes_with_no_run_trained_twice()
    {
        LocalSlurm.EnsureUp();
        var plan = TwelveRuns("slurm-requeue", steps: 100);
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var job = Cluster.Submit(plan, store, new SlurmOptions { Tasks = 2, Poll = Fast, JobName = "sk-test-requeue" });

        // Cancel a task as soon as it has started a training, while the plan is unfinished.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        TrainingLogEntry? first;
        while ((first = TrainingLog.Read(store).FirstOrDefault(e => e.Event == "started")) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No task started training within 2 minutes: {Cluster.Status(job)}");
            Thread.Sleep(100);
        }
        var victim = first.Task;   // e.g. "12_0"
        Assert.Equal(0, LocalSlurm.Run("scancel", victim).Code);
        Assert.True(Cluster.Status(job).RunsDone < 12, "the plan finished before the cancel; make the runs longer");
        WaitUntil(() => Cluster.Status(job).Tasks.Single(t => $"{job.JobId}_{t.Index}" == victim).State == "CANCELLED", "the task to be cancelled");
        var (requeue, output) = LocalSlurm.Run("scontrol", "requeue", victim);
        Assert.True(requeue == 0, output);
        // Skip most of Slurm's wait before a requeued task may start, but not all: slurmd refuses a launch whose credential
        // is from the same second as the kill ("Job credential revoked"), and the task then fails.
        LocalSlurm.Run("scontrol", "update", $"JobId={victim}", "StartTime=now+2");

        var records = Cluster.Wait(job, poll: Fast, timeout: TimeSpan.FromMinutes(5));
        var ended = WaitForTasksToEnd(job);

        Assert.Equal(12, records.Count);
        Assert.Equal(12, store.All().Count(r => r.Experiment == plan.Experiment));
        Assert.All(ended.Tasks, t => Assert.Equal("COMPLETED", t.State));   // the requeued task too
        var log = TrainingLog.Read(store);
        var finished = log.Where(e => e.Event == "finished").GroupBy(e => e.Run).ToList();
        Assert.Equal(12, finished.Count);
        Assert.All(finished, run => Assert.Single(run));   // no run trained (to the end) twice
        // Only the cancelled task may have started a training it did not finish: the one that was lost.
        var unfinished = log.Where(e => e.Event == "started").GroupBy(e => (e.Process, e.Run)).Count() - finished.Count;
        Assert.InRange(unfinished, 0, 1);
        // The requeued task ran again to the end (its output file is rewritten by the rerun).
        var rerun = File.ReadAllText(job.OutputOf(int.Parse(victim.Split('_')[1])));
        Assert.Contains("restart 1", rerun);
        Assert.Contains($"plan '{plan.Experiment}' complete: 12 records", rerun);
    }

    [Fact]
    public void Slurm_submission_refuses_a_plan_with_an_unnamed_method_before_submitting_anything()
    {
        var adHoc = new SweepMethod("my-pruning", (s, _) => new MagnitudePruning(SparsityDistribution.Global(s), PruningSchedule.OneShot(0)));
        var plan = TwelveRuns("slurm-refused", steps: 12) with { Methods = [PlanMethod.Of("magnitude"), adHoc] };
        var store = new RunStore(TestFiles.TemporaryDirectory());

        var error = Assert.Throws<ArgumentException>(() =>
            Cluster.Submit(plan, store, new SlurmOptions { Sbatch = "/nonexistent/sbatch-must-not-run" }));

        Assert.Contains("'my-pruning'", error.Message);
        Assert.Contains("ad-hoc", error.Message);
        Assert.Contains("PlanMethod.Of", error.Message);   // the fix
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Directory));   // no plan file, no script
        // The same plan still runs locally, ad-hoc method included.
        Assert.Equal(3, (plan with { Methods = [adHoc], Seeds = [1] }).Run(new RunStore(TestFiles.TemporaryDirectory())).Count);
    }

    [Fact]
    public void Slurm_submission_refuses_unknown_names_and_settings_naming_them()
    {
        var plan = TwelveRuns("slurm-names", steps: 12);
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var options = new SlurmOptions { DryRun = true };
        Assert.Contains("Unknown method 'pruning-by-vibes'", Assert.Throws<ArgumentException>(() =>
            Cluster.Submit(plan with { Methods = [PlanMethod.Of("pruning-by-vibes")] }, store, options)).Message);
        var misspelt = Assert.Throws<ArgumentException>(() =>
            Cluster.Submit(plan with { Methods = [PlanMethod.Of("magnitude").With("distrbution", "global")] }, store, options)).Message;
        Assert.Contains("no setting(s) distrbution", misspelt);
        Assert.Contains("distribution", misspelt);   // the settings it does read
        Assert.Contains("Unknown data set 'cifar'", Assert.Throws<ArgumentException>(() =>
            Cluster.Submit(plan with { Data = new DataSpec { Name = "cifar" } }, store, options)).Message);
        Assert.Contains("Unknown model 'resnet-9000'", Assert.Throws<ArgumentException>(() =>
            Cluster.Submit(plan with { Model = "resnet-9000" }, store, options)).Message);
        Assert.Contains("repeats seed", Assert.Throws<ArgumentException>(() => Cluster.Submit(plan with { Seeds = [1, 1] }, store, options)).Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Directory));
    }

    [Fact]
    public void Slurm_dry_run_writes_the_array_script_with_every_option_and_submits_nothing()
    {
        var plan = TwelveRuns("slurm-dry", steps: 12) with
        {
            Config = new TrainConfig { Steps = 12, Optimizer = new Sgd(0.1, Momentum: 0.9), Schedule = new StepDecay([5, 9], 0.5) },
        };
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var job = Cluster.Submit(plan, store, new SlurmOptions
        {
            Tasks = 8, MaxConcurrent = 4, Partition = "gpu", Account = "lab", TimeLimit = TimeSpan.FromHours(26.5), Memory = "16G",
            GpusPerTask = 1, SetupLines = ["module load dotnet/10"], ExtraOptions = ["--qos=short"], DryRun = true,
            Sbatch = "/nonexistent/sbatch-must-not-run",
        });

        Assert.Null(job.JobId);
        foreach (var line in new[] { "#SBATCH --array=0-7%4", "#SBATCH --requeue", "#SBATCH --partition=gpu", "#SBATCH --account=lab",
                     "#SBATCH --time=1-02:30:00", "#SBATCH --mem=16G", "#SBATCH --gpus-per-task=1", "#SBATCH --cpus-per-task=1",
                     "#SBATCH --qos=short", "module load dotnet/10" })
            Assert.Contains(line + "\n", job.Script);
        Assert.Matches($"exec '[^']*dotnet' '[^']*SparsityKit.Train.dll' worker --store '{store.Directory}' --poll 10\n", job.Script);
        Assert.Equal(job.Script, File.ReadAllText(job.ScriptPath));
        // The plan file in the store rebuilds the same plan, optimizer and schedule included.
        var loaded = SweepPlan.Load(store);
        Assert.Equal(plan.ToJson(), loaded.ToJson());
        Assert.Equal(plan.Config.Optimizer, loaded.Config.Optimizer);
        Assert.Equal(new long[] { 5, 9 }, Assert.IsType<StepDecay>(loaded.Config.Schedule).Milestones);
        Assert.Throws<InvalidOperationException>(() => (plan with { Seeds = [1, 2, 3] }).Save(store));   // a store holds one plan
    }

    // 2 seeds x (dense + 2 rounds x (ticket + reinit control)) = 10 short runs, late rewinding, seeds setting the batch order.
    private static LotteryPlan TinyLottery(string name) => new()
    {
        Experiment = name,
        Data = DataSpec.Synthetic(trainCount: 120, testCount: 60, seed: 5),
        Config = new TrainConfig { Steps = 12, BatchSize = 20, EvaluateEvery = 0 },
        Lottery = new LotteryConfig { Rounds = 2, RewindStep = 2, Seeds = [1, 2], Controls = LotteryControls.RandomReinit, SeedSetsBatchOrder = true },
        Threads = 1,
    };

    [Fact]
    public void Slurm_lottery_plan_as_a_two_task_array_completes_each_run_once_equal_to_a_local_lottery_run()
    {
        LocalSlurm.EnsureUp();
        var plan = TinyLottery("slurm-lottery");
        Assert.Equal(10, plan.RunCount);
        var local = plan.Run(new RunStore(TestFiles.TemporaryDirectory())).Records;
        Assert.Equal(10, local.Count);

        var store = new RunStore(TestFiles.TemporaryDirectory());
        var job = Cluster.Submit(plan, store, new SlurmOptions { Tasks = 2, Poll = Fast, JobName = "sk-test-lottery" });
        Assert.Equal(plan.ToJson(), LotteryPlan.Load(store).ToJson());   // the workers rebuild this plan from the store
        var records = Cluster.Wait(job, poll: Fast, timeout: TimeSpan.FromMinutes(5));
        var ended = WaitForTasksToEnd(job);

        Assert.All(ended.Tasks, t => Assert.Equal("COMPLETED", t.State));
        Assert.Equal(10, ended.RunsDone);
        Assert.Equal(10, store.All().Count(r => r.Experiment == plan.Experiment));
        Assert.Equal(local.Count, records.Count);
        for (int i = 0; i < local.Count; i++)
        {
            Assert.Equal((local[i].Kind, local[i].Seed, local[i].Round), (records[i].Kind, records[i].Seed, records[i].Round));
            Assert.Equal(local[i].TestAccuracy, records[i].TestAccuracy);
            Assert.Equal(local[i].TestLoss, records[i].TestLoss);
            Assert.Equal(local[i].Sparsity, records[i].Sparsity);
            Assert.Equal(local[i].LayerSparsity, records[i].LayerSparsity);
        }

        var log = TrainingLog.Read(store);
        Assert.All(log, e => Assert.StartsWith($"{job.JobId}_", e.Task));
        Assert.Equal(10, log.Count(e => e.Event == "started"));   // no run trained twice
        Assert.Equal(10, log.Where(e => e.Event == "finished").Select(e => e.Run).Distinct().Count());
        Assert.All(log.GroupBy(e => e.Seed), chain => Assert.Single(chain.Select(e => e.Process).Distinct()));   // a seed's chain stays in one worker
    }

    [Fact]
    public void Slurm_progress_counts_records_by_the_plan_s_run_keys_not_stale_records_of_the_same_kinds()
    {
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var sweep = TwelveRuns("slurm-progress", steps: 4) with { Methods = [PlanMethod.Of("magnitude")], Sparsities = [0.5], Seeds = [1, 2] };
        var lottery = TinyLottery("slurm-progress-lottery") with { Config = new TrainConfig { Steps = 4, BatchSize = 20, EvaluateEvery = 0 } };
        lottery = lottery with { Lottery = lottery.Lottery with { Rounds = 1, Seeds = [1] } };
        // Stale records: the same experiments, methods, sparsities and seeds, trained with other settings.
        (sweep with { Config = sweep.Config with { Steps = 3 } }).Run(store);
        (lottery with { Lottery = lottery.Lottery with { RewindStep = 1 } }).Run(store);
        Assert.Equal(2 + 3, store.All().Count);
        Assert.Equal(0, Cluster.RunsDone(sweep, store));
        Assert.Equal(0, Cluster.RunsDone(lottery, store));

        var (sweepName, lotteryName) = (sweep.RunNames()[0], lottery.RunNames()[^1]);
        sweep.Run(store);
        Assert.Equal(2, Cluster.RunsDone(sweep, store));
        Assert.Equal(0, Cluster.RunsDone(lottery, store));
        lottery.Run(store);
        Assert.Equal(3, Cluster.RunsDone(lottery, store));
        Assert.True(store.Contains(sweepName) && store.Contains(lotteryName));
        Assert.Equal(2 + 3 + 2 + 3, store.All().Count);
    }

    [Fact]
    public void Slurm_plan_files_read_back_as_their_kind_and_a_store_holds_one_plan()
    {
        var plans = Path.Combine(LocalSlurm.RepositoryRoot(), "docs", "plans");
        var sweep = Assert.IsType<SweepPlan>(ClusterPlans.FromFile(Path.Combine(plans, "06-quick.json")));
        var lottery = Assert.IsType<LotteryPlan>(ClusterPlans.FromFile(Path.Combine(plans, "02-quick-lottery.json")));
        Assert.Equal(24, sweep.RunCount);
        Assert.Equal(LotteryControls.All, lottery.Lottery.Controls);   // written by name, "RandomReinit, RandomMask, ScratchB"
        Assert.Equal(2 * (1 + 2 * 4), lottery.RunCount);
        Assert.Contains("\"Controls\": \"All\"", lottery.ToJson());

        var store = new RunStore(TestFiles.TemporaryDirectory());
        lottery.Save(store);
        Assert.Equal(lottery.ToJson(), Assert.IsType<LotteryPlan>(ClusterPlans.Load(store)).ToJson());
        var refused = Assert.Throws<InvalidOperationException>(() => sweep.Save(store));
        Assert.Contains("holds one plan", refused.Message);
        Assert.Contains(LotteryPlan.FileName, refused.Message);
        Assert.Contains("rewinds to step 300 of a 200-step training", Assert.Throws<ArgumentException>(() =>
            (lottery with { Lottery = lottery.Lottery with { RewindStep = 300 } }).Validate()).Message);
    }

    private static ClusterStatus WaitForTasksToEnd(SlurmJob job)
    {
        ClusterStatus status = Cluster.Status(job);
        WaitUntil(() => (status = Cluster.Status(job)).TasksEnded, "every task to end");
        return status;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            Thread.Sleep(200);
        }
    }
}
