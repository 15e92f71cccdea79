using SparsityKit.Training;

namespace SparsityKit.Methods;

/// <summary>No sparsity: the dense reference every sparse method is measured against, as a method so a sweep can list it.</summary>
public sealed class DenseTraining : TrainingMethod
{
    public override string Name => "dense";
}
