// Training speed of the speed table's models (BenchModels: LeNet-5, ResNet-20, Conv-4 on 1x28x28 MNIST, the
// 784-1200-1200-10 MLP), Adam 1.2e-3, the same work as bench/pytorch_models.py. Three modes:
//   train    a dense and a masked TrainingSession (random mask of --sparsity on every weight) advanced in lockstep,
//            alternating blocks of steps, each block timed; prints steps/s of both and their ratio (the mask's cost).
//            The first block of each is warm-up and not timed. With --sparsity 0 only the dense one runs.
//   profile  microseconds per step in each phase (data, forward, backward, optimizer), dense then masked.
//   check    float32 forward and backward of one batch against float64 (the same weights), per convolution backend:
//            the largest difference in the logits and in any gradient, relative to the largest float64 value.
// --backend auto (default: the per-model choice training makes) or onednn|native picks libtorch's convolution implementation (SparsityKit.ConvolutionBackend).
// --turns IN,OUT (train): before each block wait for a byte on the FIFO IN, after it write one to OUT, so that this process
// and the PyTorch peer (given the same FIFOs crossed) take turns block by block: ratios of runs interleaved this finely
// do not move with the machine's speed drifting between runs (bench/models.sh does this).
// --channels-last 1 (every mode): TrainConfig.ChannelsLast, convolution kernels stored NHWC (PyTorch's memory_format=torch.channels_last).
// usage: SparsityKit.ModelBench [train|profile|check] --model M [--batch B] [--steps N] [--threads T] [--sparsity S] [--backend auto|onednn|native] [--turns IN,OUT] [--channels-last 0|1]
using System.Diagnostics;
using SparsityKit;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

string mode = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "train";
var options = new Dictionary<string, string>();
for (int i = mode == "train" && (args.Length == 0 || args[0].StartsWith("--")) ? 0 : 1; i < args.Length; i += 2)
{
    if (!args[i].StartsWith("--") || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"expected --option value pairs, got '{args[i]}'");
        return 2;
    }
    options[args[i][2..]] = args[i + 1];
}
string Option(string name, string fallback) => options.Remove(name, out var v) ? v : fallback;
string modelName = Option("model", "lenet5");
int batch = int.Parse(Option("batch", "60"));
int steps = int.Parse(Option("steps", "200"));
int threads = int.Parse(Option("threads", "1"));
double sparsity = double.Parse(Option("sparsity", "0.9"));
string backend = Option("backend", "auto");
int blockSteps = int.Parse(Option("block", "10"));
string channelsLastOption = Option("channels-last", "0");
if (channelsLastOption is not ("0" or "1"))
{
    Console.Error.WriteLine($"--channels-last takes 0 or 1, got '{channelsLastOption}'");
    return 2;
}
bool channelsLast = channelsLastOption == "1";
string[]? turns = Option("turns", "") is { Length: > 0 } t ? t.Split(',') : null;
if (turns is { Length: not 2 })
{
    Console.Error.WriteLine($"--turns takes two FIFOs, IN,OUT (comma-separated), got '{string.Join(",", turns)}'");
    return 2;
}
if (options.Count > 0)
{
    Console.Error.WriteLine($"unknown option(s): {string.Join(", ", options.Keys.Select(k => "--" + k))}");
    return 2;
}
if (backend is not ("auto" or "onednn" or "native"))
{
    Console.Error.WriteLine($"--backend must be auto (the per-model choice training makes), onednn or native, got '{backend}'");
    return 2;
}
set_num_threads(threads);
if (backend != "auto") ConvolutionBackend.OneDnnEnabled = backend == "onednn";
using var data = Datasets.Mnist(CPU);
var config = Presets.LotteryTicketLeNet300 with { Steps = 1_000_000, BatchSize = batch, EvaluateEvery = 0, ReportEvery = 1_000_000, ChannelsLast = channelsLast };

switch (mode)
{
    case "train": Train(); break;
    case "profile": Profile(); break;
    case "check": Check(); break;
    default: Console.Error.WriteLine($"unknown mode '{mode}': use train, profile or check"); return 2;
}
return 0;

TrainingSession Session(double s)
{
    var model = BenchModels.Create(modelName, seed: 0);
    var session = new TrainingSession(model, data, config, BenchMethods.RandomMask(model, s));
    session.Start();
    return session;
}

void Train()
{
    var sessions = sparsity > 0 ? new[] { Session(0), Session(sparsity) } : new[] { Session(0) };
    // TrainingSession chooses per model (auto); --backend onednn|native times one backend anyway, for comparison.
    if (backend != "auto") ConvolutionBackend.OneDnnEnabled = backend == "onednn";
    string used = $"{(backend == "auto" ? "auto:" : "")}{(ConvolutionBackend.OneDnnEnabled ? "onednn" : "native")}";
    var seconds = new double[sessions.Length];
    int timed = 0;
    // Opened read-write: a FIFO opened so never blocks waiting for the other side to open it.
    using var turnIn = turns is null ? null : new FileStream(turns[0], FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
    using var turnOut = turns is null ? null : new FileStream(turns[1], FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
    for (int block = 0; timed < steps; block++)
    {
        turnIn?.ReadByte();
        // Which run goes first alternates, so neither always follows the other's cache footprint.
        for (int k = 0; k < sessions.Length; k++)
        {
            int which = (block + k) % sessions.Length;
            long start = Stopwatch.GetTimestamp();
            for (int s = 0; s < blockSteps; s++) sessions[which].Step();
            if (block > 0) seconds[which] += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        if (block > 0) timed += blockSteps;
        if (turnOut is not null) { turnOut.WriteByte((byte)'t'); turnOut.Flush(); }
    }
    double loss = sessions[0].TakeMeanLoss();
    string masked = sessions.Length > 1
        ? $" masked_steps_per_s={timed / seconds[1]:F2} masked/dense={seconds[1] / seconds[0]:F3}" : "";
    Console.WriteLine($"sparsitykit model={modelName} threads={get_num_threads()} backend={used}{(channelsLast ? " channels_last" : "")} batch={batch} steps={timed} " +
        $"sparsity={sparsity} dense_steps_per_s={timed / seconds[0]:F2}{masked} dense_train_loss={loss:F4} dense_weights={WeightsDigest(sessions[0].Context.Model)}");
    foreach (var s in sessions) { s.Context.Model.Dispose(); s.Dispose(); }
}

// A run key's digest of the trained model (every parameter and buffer by name, shape and value): equal digests mean
// bit-identical training.
static string WeightsDigest(nn.Module model) => CanonicalDescription.Hash(CanonicalDescription.Of(model));

// Microseconds per step in each phase, after a warm-up of a tenth of the steps; the work of TrainingSession.Step.
void Profile()
{
    string[] phases = ["data", "forward", "backward", "optimizer"];
    foreach (bool isMasked in new[] { false, true })
    {
        var model = BenchModels.Create(modelName, seed: 0);
        if (channelsLast) ChannelsLast.Apply(model);
        model.train();
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        using var optimizer = new Adam(1.2e-3).Create(parameters);
        using var sampler = new BatchSampler(data.TrainCount, batch, seed: 1, CPU);
        using var masks = Prune.Random(model, SparsityDistribution.Uniform(sparsity), seed: 0);
        if (isMasked)
        {
            masks.ApplyTo(model);
            foreach (var (name, mask) in masks.Entries) optimizer.SetMask(name, mask);
        }
        var ticks = new long[phases.Length];
        int warmup = Math.Max(1, steps / 10);
        for (int s = 0; s < steps + warmup; s++)
        {
            using var scope = NewDisposeScope();
            long t0 = Stopwatch.GetTimestamp();
            var index = sampler.Next();
            var (images, labels) = (data.TrainImages.index_select(0, index), data.TrainLabels.index_select(0, index));
            long t1 = Stopwatch.GetTimestamp();
            var loss = nn.functional.cross_entropy(model.call(images), labels);
            long t2 = Stopwatch.GetTimestamp();
            optimizer.ZeroGrad();
            loss.backward();
            long t3 = Stopwatch.GetTimestamp();
            optimizer.Step();
            long t4 = Stopwatch.GetTimestamp();
            if (s < warmup) continue;
            ticks[0] += t1 - t0; ticks[1] += t2 - t1; ticks[2] += t3 - t2; ticks[3] += t4 - t3;
        }
        var us = ticks.Select(t => t * 1e6 / Stopwatch.Frequency / steps).ToArray();
        Console.WriteLine($"sparsitykit profile model={modelName} threads={get_num_threads()} backend={backend}{(channelsLast ? " channels_last" : "")} batch={batch} " +
            $"{(isMasked ? $"masked={sparsity}" : "dense")} " + string.Join(" ", phases.Select((p, k) => $"{p}_us={us[k]:F0}")) +
            $" total_us={us.Sum():F0}");
        model.Dispose();
    }
}

// One batch forward and backward in float32 under each backend and in float64; differences relative to float64's largest value.
void Check()
{
    using var scope = NewDisposeScope();
    using var sampler = new BatchSampler(data.TrainCount, batch, seed: 1, CPU);
    var index = sampler.Next();
    var (images, labels) = (data.TrainImages.index_select(0, index), data.TrainLabels.index_select(0, index));
    var model = BenchModels.Create(modelName, seed: 0);
    model.train();
    (Tensor Logits, Dictionary<string, Tensor> Grads) Run(ScalarType type, bool oneDnn)
    {
        ConvolutionBackend.OneDnnEnabled = oneDnn;
        var copy = BenchModels.Create(modelName, seed: 0);
        copy.load_state_dict(model.state_dict());
        copy.to(type);
        if (channelsLast && type == float32) ChannelsLast.Apply(copy);   // the float64 reference stays contiguous
        copy.train();
        var logits = copy.call(images.to(type));
        nn.functional.cross_entropy(logits, labels).backward();
        var grads = copy.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().to(float64));
        return (logits.detach().to(float64), grads);
    }
    var reference = Run(float64, oneDnn: false);
    foreach (bool oneDnn in new[] { true, false })
    {
        var (logits, grads) = Run(float32, oneDnn);
        double Relative(Tensor a, Tensor b) => (a - b).abs().max().item<double>() / Math.Max(1e-30, b.abs().max().item<double>());
        var worst = grads.Select(g => (g.Key, Error: Relative(g.Value, reference.Grads[g.Key]))).MaxBy(g => g.Error);
        // Biases of batch norm have gradients near zero (sums that cancel), so each tensor's error is also given relative to the largest gradient anywhere.
        double largest = reference.Grads.Values.Max(g => g.abs().max().item<double>());
        double overall = grads.Max(g => (g.Value - reference.Grads[g.Key]).abs().max().item<double>()) / largest;
        Console.WriteLine($"sparsitykit check model={modelName} threads={get_num_threads()} backend={(oneDnn ? "onednn" : "native")}{(channelsLast ? " channels_last" : "")} batch={batch} " +
            $"logits_rel_err={Relative(logits, reference.Logits):E2} worst_grad={worst.Key} grad_rel_err={worst.Error:E2} grad_err_vs_largest={overall:E2}");
    }
    ConvolutionBackend.OneDnnEnabled = backend == "onednn";
}
