using SparsityKit.Data;

namespace SparsityKit.Train.Jobs;

/// <summary>The data sets the training commands take by name.</summary>
internal static class DataSets
{
    public static Dataset Load(string name) => name switch
    {
        "mnist" => Datasets.Mnist(),
        "fashion-mnist" => Datasets.FashionMnist(),
        _ => throw new ArgumentException($"Unknown data set '{name}' (--data): use mnist or fashion-mnist."),
    };
}
