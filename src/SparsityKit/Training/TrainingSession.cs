using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// One training run's state between steps (optimizer, batch stream, the method's hooks, the running loss) and the step
/// itself. <see cref="Trainer.Train"/> drives one to the end; a benchmark can advance two in lockstep, so that both
/// see the same machine.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly TrainingMethod? _method;
    private readonly IBatchStream _batches;
    // The loss is summed on the device and read once per report, so no step waits on a transfer.
    private readonly Tensor _lossSum;
    private long _lossCount;
    private readonly IDisposable? _backend;

    public TrainingSession(nn.Module<Tensor, Tensor> model, IDataSource data, TrainConfig config, TrainingMethod? method = null)
    {
        config.Validate();
        var parameters = model.named_parameters().Where(np => np.parameter.requires_grad).ToList();
        if (parameters.Count > 0 && parameters[0].parameter.device.type != data.Device.type)
            throw new ArgumentException($"The model is on {parameters[0].parameter.device} but the data is on {data.Device}: move one of them (Zoo.* and Datasets.* take a device).");
        // Before the backend check and the optimizer, so both see (and the optimizer's state copies) the layout training uses.
        if (config.ChannelsLast) Training.ChannelsLast.Apply(model, config.ChannelsLastLeavesAmbiguousKernels);
        // libtorch's oneDNN convolutions are wrong for some shapes on some CPUs (ConvolutionBackend): checked per model.
        if (data.Device.type == DeviceType.CPU)
        {
            using var scope = NewDisposeScope();
            var (probe, _) = data.TrainingProbe(4);
            _backend = ConvolutionBackend.ForModel(model, probe);
        }
        _method = method;
        _batches = data.TrainingBatches(config.BatchSize, config.DataSeed, config.Augmentation);
        // Made in a scope and detached from it: the session owns it, and nothing is created outside every scope.
        using (NewDisposeScope()) _lossSum = zeros(1, device: data.Device).DetachFromDisposeScope();
        Context = new TrainingContext(model, config.CreateOptimizer(model), data, config);
    }

    public TrainingContext Context { get; }

    /// <summary>Optimizer steps completed so far.</summary>
    public long StepsDone => Context.Step;

    /// <summary>Lets the method set itself up (masks, regularised layers) and puts the model in training mode.</summary>
    public void Start()
    {
        _method?.OnStart(Context);
        Context.Model.train();
    }

    /// <summary>One optimizer step on the next batch; every tensor it makes is disposed before it returns.</summary>
    public void Step()
    {
        var (config, optimizer) = (Context.Config, Context.Optimizer);
        if (!config.Schedule.IsConstant) optimizer.LearningRate = config.Optimizer.LearningRate * config.Schedule.Factor(Context.Step, config.Steps);
        using var scope = NewDisposeScope();
        var (inputs, labels) = _batches.Next();
        var logits = Context.Model.call(inputs);
        var loss = config.TrainingLoss(logits, labels);
        if (_method?.LossTerm(Context) is { } extra) loss = loss.add(extra, Scalars.One);   // not "+": see Scalars
        optimizer.ZeroGrad();
        loss.backward();
        _method?.BeforeStep(Context);
        optimizer.Step();
        Context.Step++;
        _method?.AfterStep(Context);
        _lossSum.add_(loss.detach(), Scalars.One);
        _lossCount++;
    }

    /// <summary>The mean training loss since the last call (NaN if no step was taken); reads the device once.</summary>
    public double TakeMeanLoss()
    {
        double mean = _lossSum.item<float>() / _lossCount;
        using (NewDisposeScope()) _lossSum.zero_();
        _lossCount = 0;
        return mean;
    }

    /// <summary>
    /// Everything the next steps depend on, by name: weights and buffers, optimizer state, the method's state (masks),
    /// the batch sampler's position, the global generator, the running loss and the step. Tensors are the live ones:
    /// write them out before the next step.
    /// </summary>
    internal Dictionary<string, Tensor> CaptureState()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, p) in Context.Model.named_parameters()) state[$"model/{name}"] = p;
        foreach (var (name, b) in Context.Model.named_buffers()) state[$"buffer/{name}"] = b;
        foreach (var (name, t) in Context.Optimizer.StateTensors()) state[$"optimizer/{name}"] = t;
        var method = new Dictionary<string, Tensor>();
        _method?.SaveState(method);
        foreach (var (name, t) in method) state[$"method/{name}"] = t;
        foreach (var (name, t) in _batches.State()) state[$"sampler/{name}"] = t;
        state["rng/global"] = random.get_rng_state();
        state["loss/sum"] = _lossSum;
        state["loss/count"] = tensor((float)_lossCount);
        state["step"] = tensor((float)Context.Step);
        state["optimizer-step"] = tensor((float)Context.Optimizer.StepCount);
        return state;
    }

    /// <summary>Continues from <see cref="CaptureState"/>'s state; call after <see cref="Start"/>.</summary>
    internal void RestoreState(IReadOnlyDictionary<string, Tensor> state)
    {
        IReadOnlyDictionary<string, Tensor> Part(string prefix) => state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        using (no_grad())
        {
            foreach (var (name, p) in Context.Model.named_parameters()) p.copy_(Required(state, $"model/{name}"));
            foreach (var (name, b) in Context.Model.named_buffers()) b.copy_(Required(state, $"buffer/{name}"));
        }
        _method?.LoadState(Context, Part("method/"));
        Context.Optimizer.LoadStateTensors(Part("optimizer/"));
        Context.Optimizer.StepCount = (long)Required(state, "optimizer-step").item<float>();
        _batches.Restore(Part("sampler/"));
        using (var rng = Required(state, "rng/global").to(ScalarType.Byte)) random.set_rng_state(rng);
        using (no_grad()) _lossSum.copy_(Required(state, "loss/sum"));
        _lossCount = (long)Required(state, "loss/count").item<float>();
        Context.Step = (long)Required(state, "step").item<float>();
    }

    private static Tensor Required(IReadOnlyDictionary<string, Tensor> state, string name) =>
        state.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"The checkpoint has no '{name}': it was made for another model or method.");

    public void Dispose()
    {
        _lossSum.Dispose();
        _batches.Dispose();
        Context.Optimizer.Dispose();
        _backend?.Dispose();
    }
}
