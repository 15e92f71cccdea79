using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Models;
using static TorchSharp.torch;

namespace SparsityKit.Clusters;

/// <summary>
/// Turns a named <see cref="PlanMethod"/> into the <see cref="SweepMethod"/> a sweep trains with; null when the name
/// is not one it knows. Throws <see cref="ArgumentException"/> for a known name with a bad or unknown setting.
/// </summary>
public delegate SweepMethod? MethodResolver(PlanMethod method, PlanContext context);

/// <summary>What a resolver may need to build a method: the plan (steps, batch size, model name) and where the data lives.</summary>
/// <param name="Plan">The plan the method belongs to.</param>
/// <param name="Device">The device of the plan's data, for models built by the method (VD and L0 layers).</param>
/// <param name="TrainCount">Examples in the training split, to turn steps into epochs.</param>
public sealed record PlanContext(SweepPlan Plan, Device Device, long TrainCount)
{
    /// <summary>The context of a plan whose data is loaded.</summary>
    public PlanContext(SweepPlan plan, IDataSource data) : this(plan, data.Device, data.TrainCount) { }

    /// <summary>Epochs the plan's training config runs.</summary>
    public double Epochs => Plan.Config.Steps * (double)Plan.Config.BatchSize / TrainCount;

    /// <summary>The plan's model, built for its data's images and classes (not the model's default input).</summary>
    public ModelFactory Model => ModelWith(null);

    /// <summary>The plan's model built with other layers (e.g. <see cref="VariationalDropoutLayers"/>).</summary>
    public ModelFactory ModelWith(ILayerFactory? layers) => Plan.Data.ModelFactory(Plan.Model, Device, layers);
}

/// <summary>Where plans look up their method names: <see cref="BuiltInMethods"/> unless a catalog is plugged in.</summary>
public static class PlanMethods
{
    /// <summary>
    /// The resolver every plan uses, in this process and (when set the same way at start-up) in the workers. A fuller
    /// catalog replaces it, falling back to <see cref="BuiltInMethods.Resolve"/> for the names it does not know.
    /// </summary>
    public static MethodResolver Resolver { get; set; } = BuiltInMethods.Resolve;

    /// <summary>The sweep method for a plan method (an ad-hoc one as it is); a clear error for an unknown name.</summary>
    public static SweepMethod Resolve(PlanMethod method, PlanContext context)
    {
        if (method.AdHoc is not null) return method.AdHoc;
        var resolved = Resolver(method, context) ?? throw new ArgumentException(
            $"Unknown method '{method.Name}' in plan '{context.Plan.Experiment}'. Known names: {string.Join(", ", BuiltInMethods.Names)}" +
            " (or plug a catalog that knows it into PlanMethods.Resolver, in the submitting process and in the worker).");
        return resolved with { Name = method.DisplayName };
    }
}
