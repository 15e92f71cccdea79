using SparsityKit.Training;

namespace SparsityKit.Experiments;

/// <summary>
/// One method of a sweep: how to make its training hook for a target sparsity and seed, and (for methods that
/// need special layers, like variational dropout or L0) how to build its model.
/// </summary>
/// <param name="Name">The method's name in records and charts ("magnitude", "random", "variational dropout", "L0").</param>
/// <param name="Create">The training method for (target sparsity, seed).</param>
/// <param name="Model">The model for a seed; null for the sweep's default model.</param>
public sealed record SweepMethod(string Name, Func<double, long, TrainingMethod> Create, ModelFactory? Model = null);
