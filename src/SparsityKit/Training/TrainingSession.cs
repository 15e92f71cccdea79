using SparsityKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// One training run's state between steps (optimizer, batch order, the method's hooks, the running loss) and the step
/// itself. <see cref="Trainer.Train"/> drives one to the end; a benchmark can advance two in lockstep, so that both
/// see the same machine.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly TrainingMethod? _method;
    private readonly BatchSampler _sampler;
    // The loss is summed on the device and read once per report, so no step waits on a transfer.
    private readonly Tensor _lossSum;
    private long _lossCount;

    public TrainingSession(nn.Module<Tensor, Tensor> model, Dataset data, TrainConfig config, TrainingMethod? method = null)
    {
        config.Validate();
        var parameters = model.named_parameters().Where(np => np.parameter.requires_grad).ToList();
        if (parameters.Count > 0 && parameters[0].parameter.device.type != data.Device.type)
            throw new ArgumentException($"The model is on {parameters[0].parameter.device} but the data is on {data.Device}: move one of them (Zoo.* and Datasets.* take a device).");
        _method = method;
        _sampler = new BatchSampler(data.TrainCount, config.BatchSize, config.DataSeed, data.Device);
        _lossSum = zeros(1, device: data.Device);
        Context = new TrainingContext(model, config.Optimizer.Create(parameters), data, config);
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
        var (config, data, optimizer) = (Context.Config, Context.Data, Context.Optimizer);
        if (!config.Schedule.IsConstant) optimizer.LearningRate = config.Optimizer.LearningRate * config.Schedule.Factor(Context.Step, config.Steps);
        using var scope = NewDisposeScope();
        var batch = _sampler.Next();
        var logits = Context.Model.call(data.TrainImages.index_select(0, batch));
        var loss = nn.functional.cross_entropy(logits, data.TrainLabels.index_select(0, batch));
        if (_method?.LossTerm(Context) is { } extra) loss = loss + extra;
        optimizer.ZeroGrad();
        loss.backward();
        _method?.BeforeStep(Context);
        optimizer.Step();
        Context.Step++;
        _method?.AfterStep(Context);
        _lossSum.add_(loss.detach());
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

    public void Dispose()
    {
        _lossSum.Dispose();
        _sampler.Dispose();
        Context.Optimizer.Dispose();
    }
}
