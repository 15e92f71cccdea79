using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Experiments;

/// <summary>Damaged, orphaned or foreign files in a run store are named and recomputed, never trusted or left to block a resume.</summary>
public class RunStoreDamageTests
{
    private static readonly TrainConfig Short = new() { Steps = 20, BatchSize = 20, EvaluateEvery = 10 };
    private static readonly ModelFactory LeNet = seed => Zoo.LeNet300_100(seed, device: CPU);
    private static Dataset Synthetic() => Datasets.Synthetic(trainCount: 200, testCount: 60, seed: 3, device: CPU);

    private static SweepMethod Magnitude { get; } =
        new("magnitude", (s, _) => new MagnitudePruning(SparsityDistribution.Uniform(s), PruningSchedule.OneShot(0)));

    // Trained once per seed, measured at every target.
    private static SweepMethod VariationalDropoutOnce { get; } = new("variational dropout", (_, _) => new VariationalDropout(),
        seed => Zoo.LeNet300_100(seed, layers: new VariationalDropoutLayers(), device: CPU)) { AtSparsity = VariationalDropout.AtSparsity };

    [Fact]
    public void A_member_records_temporary_left_by_a_killed_writer_is_removed_by_whoever_holds_its_groups_claim()
    {
        // Seen in a fresh-clone CI run: a child killed while saving one of variational dropout's measured records (a
        // group's member) left "s0.9-seed1-<key>.json.<guid>.tmp"; the group's claim cleaned only the group's own files.
        var store = new RunStore(TestFiles.TemporaryDirectory());
        var folder = Path.Combine(store.Directory, "variational-dropout");
        Directory.CreateDirectory(folder);
        var leftover = Path.Combine(folder, $"s0.9-seed1-abc.json.{Guid.NewGuid():N}.tmp");
        var other = Path.Combine(folder, $"s0.8-seed1-abc.json.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(leftover, "half a record");
        File.WriteAllText(other, "half another");
        store.RemoveTemporaries("variational-dropout/s0.9-seed1-abc");
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(other), "another run's temporary was removed");
    }

    [Fact]
    public void A_truncated_record_is_named_moved_aside_and_recomputed()
    {
        using var data = Synthetic();
        var warnings = new List<string>();
        var store = new RunStore(TestFiles.TemporaryDirectory()) { Warn = warnings.Add };
        var first = Sweep.Run("damage", [Magnitude], [0.5], [1], LeNet, data, Short, store)[0];
        var file = Directory.GetFiles(store.Directory, "*.json", SearchOption.AllDirectories).Single();
        var text = File.ReadAllText(file);
        File.WriteAllText(file, text[..(text.Length / 2)]);

        var again = Sweep.Run("damage", [Magnitude], [0.5], [1], LeNet, data, Short, store)[0];
        Assert.Equal(first.TestLoss, again.TestLoss);
        Assert.Contains(warnings, w => w.Contains(file) && w.Contains("damaged"));
        Assert.Single(Directory.GetFiles(store.Directory, "*.damaged", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_record_whose_numbers_were_altered_fails_its_checksum()
    {
        var store = new RunStore(TestFiles.TemporaryDirectory()) { Warn = _ => { } };
        var record = new RunRecord { Experiment = "x", Kind = "dense", Seed = 1, Sparsity = 0, TestAccuracy = 0.5, TestLoss = 1, Steps = 1 };
        store.Save("x/run", record);
        Assert.True(store.TryLoad("x/run", out var loaded));
        Assert.Equal(0.5, loaded.TestAccuracy);
        var path = Path.Combine(store.Directory, "x/run.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"TestAccuracy\": 0.5", "\"TestAccuracy\": 0.9"));
        Assert.False(store.TryLoad("x/run", out _));
    }

    [Fact]
    public void Random_bytes_after_a_tensor_files_header_give_an_error_naming_the_file()
    {
        var path = Path.Combine(TestFiles.TemporaryDirectory(), "weights.sktf");
        using (var t = ones(3, 4)) TensorFile.Save(path, [new("w", t)]);
        var bytes = File.ReadAllBytes(path);
        new Random(5).NextBytes(bytes.AsSpan(12));
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => TensorFile.Load(path));
        Assert.Contains(path, error.Message);

        // A version-1 file (no checksum) with a huge declared shape is refused, not an OverflowException.
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("SKTF"u8.ToArray()); writer.Write(1); writer.Write(1); writer.Write("w"); writer.Write(2L);
            writer.Write(long.MaxValue / 2); writer.Write(long.MaxValue / 2);
        }
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => TensorFile.Load(path)).Message);
    }

    [Fact]
    public void Masks_in_a_store_take_one_bit_a_weight()
    {
        // Long replications commit their stores to the repository: a LeNet-300-100 mask is 33 KB as bits, 1 MB as floats.
        var store = new RunStore(TestFiles.TemporaryDirectory());
        using var masks = new MaskSet([new("fc.weight", bernoulli(full(300, 784, 0.3), generator: new Generator(5)))]);
        store.SaveMasks("exp/seed1/r01", masks);
        Assert.InRange(new FileInfo(store.MasksPath("exp/seed1/r01")).Length, 300 * 784 / 8, 300 * 784 / 8 + 200);
        DisposeScopeManager.Statistics.Reset();
        using var loaded = store.LoadMasks("exp/seed1/r01");
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);   // nothing left to the finalizer thread
        Assert.True(loaded["fc.weight"].eq(masks["fc.weight"]).all().item<bool>());
    }

    [Fact]
    public void A_flipped_mask_value_or_masks_of_another_run_are_refused()
    {
        var store = new RunStore(TestFiles.TemporaryDirectory());
        using var masks = new MaskSet([new("fc.weight", ones(4, 4))]);
        store.SaveMasks("exp/seed1/r01", masks);
        var path = store.MasksPath("exp/seed1/r01");
        var bytes = File.ReadAllBytes(path);
        bytes[^33] ^= 0x01;   // the last mask value (one bit) before the checksum
        File.WriteAllBytes(path, bytes);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => store.LoadMasks("exp/seed1/r01")).Message);

        store.SaveMasks("exp/seed2/r01", masks);
        File.Copy(store.MasksPath("exp/seed2/r01"), path, overwrite: true);
        Assert.Contains("another run", Assert.Throws<InvalidDataException>(() => store.LoadMasks("exp/seed1/r01")).Message);
    }

    [Fact]
    public void A_lottery_whose_masks_file_is_missing_recomputes_the_run_that_writes_it()
    {
        using var data = Synthetic();
        var warnings = new List<string>();
        var store = new RunStore(TestFiles.TemporaryDirectory()) { Warn = warnings.Add };
        var lottery = new LotteryConfig { Rounds = 2, Controls = LotteryControls.None };
        var straight = Lottery.Run("orphan", LeNet, data, Short, lottery, store);
        var masks = Directory.GetFiles(store.Directory, "r02.masks.sktf", SearchOption.AllDirectories).Single();
        File.Delete(masks);

        var resumed = Lottery.Run("orphan", LeNet, data, Short, lottery, store);
        Assert.Equal(1, resumed.Computed);   // round 1's ticket, which writes round 2's masks
        Assert.Contains(warnings, w => w.Contains(masks));
        Assert.Equal(straight.Records.Select(r => r.TestLoss), resumed.Records.Select(r => r.TestLoss));
    }

    [Fact]
    public void A_method_measured_at_every_target_is_not_retrained_when_a_crash_came_between_its_records()
    {
        using var data = Synthetic();
        var method = VariationalDropoutOnce;
        var store = new RunStore(TestFiles.TemporaryDirectory());
        int trained = 0;
        var progress = new RunKeyTests.FinishedCounter(() => trained++);
        var first = Sweep.Run("vd", [method], [0.3, 0.6, 0.9], [1], LeNet, data, Short, store, progress);
        // As if killed after the first record was written: the other two are missing.
        foreach (var file in Directory.GetFiles(store.Directory, "s0.6*.json", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(store.Directory, "s0.9*.json", SearchOption.AllDirectories)))
            File.Delete(file);
        var resumed = Sweep.Run("vd", [method], [0.3, 0.6, 0.9], [1], LeNet, data, Short, store, progress);
        Assert.Equal(1, trained);
        Assert.Equal(first.Select(r => r.TestLoss), resumed.Select(r => r.TestLoss));
    }

    [Fact]
    public void A_method_measured_at_every_target_removes_the_claim_on_its_training_that_a_killed_owner_left()
    {
        // Killed after the group's records were saved, before the claim on the one training was let go: its members'
        // records are found on resume, so nothing claims the training again, and the claim would stay for good.
        using var data = Synthetic();
        var method = VariationalDropoutOnce;
        var store = new RunStore(TestFiles.TemporaryDirectory());
        Sweep.Run("vd", [method], [0.3, 0.6], [1], LeNet, data, Short, store);
        var group = Directory.GetFiles(store.Directory, "*.group.json", SearchOption.AllDirectories).Single();
        var claim = group[..^".group.json".Length] + ".json.claim";
        File.WriteAllText(claim, $"{Environment.MachineName} {int.MaxValue} {DateTime.UtcNow.Ticks} {Guid.NewGuid():N}");

        Sweep.Run("vd", [method], [0.3, 0.6], [1], LeNet, data, Short, store);
        Assert.Empty(Directory.GetFiles(store.Directory, "*.claim", SearchOption.AllDirectories));
    }

    [Fact]
    public void Resuming_with_another_thread_count_is_named_in_a_warning()
    {
        var warnings = new List<string>();
        var store = new RunStore(TestFiles.TemporaryDirectory()) { Warn = warnings.Add };
        using var data = Synthetic();
        var records = Sweep.Run("threads", [Magnitude], [0.5], [1], LeNet, data, Short, store);
        var file = Directory.GetFiles(store.Directory, "*.json", SearchOption.AllDirectories).Single();
        var name = Path.GetRelativePath(store.Directory, file)[..^5];
        store.Save(name, records[0] with { Threads = TorchSharp.torch.get_num_threads() + 1 });
        Sweep.Run("threads", [Magnitude], [0.5], [1], LeNet, data, Short, store);
        Assert.Contains(warnings, w => w.Contains("thread"));
    }
}
