using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// A model the <see cref="Zoo"/> names: how to build it for an input shape and a number of classes, and the input it is
/// built for by default. Token models (the Transformers) have no image input: their <see cref="Classes"/> is the vocabulary.
/// </summary>
public sealed class ZooModel
{
    private readonly Func<long[], long, ILayerFactory?, nn.Module> _create;

    internal ZooModel(string name, string description, long[] inputShape, long classes, Func<long[], long, ILayerFactory?, nn.Module> create,
        bool takesTokens = false, params string[] aliases)
    {
        Name = name;
        Description = description;
        InputShape = inputShape;
        Classes = classes;
        TakesTokens = takesTokens;
        Aliases = aliases;
        _create = create;
    }

    /// <summary>The zoo's name, e.g. "resnet20".</summary>
    public string Name { get; }

    /// <summary>Older names that still build this model.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>What it is and where it comes from.</summary>
    public string Description { get; }

    /// <summary>The default input [channels, height, width] (empty for token models).</summary>
    public long[] InputShape { get; }

    /// <summary>The default number of classes (the vocabulary size for token models).</summary>
    public long Classes { get; }

    /// <summary>The forward takes token ids (source, target) rather than images.</summary>
    public bool TakesTokens { get; }

    /// <summary>Builds the model with <paramref name="layers"/> (the model's own default when null), without seeding.</summary>
    internal nn.Module Create(long[]? inputShape, long? classes, ILayerFactory? layers)
    {
        var shape = inputShape ?? InputShape;
        if (!TakesTokens && shape.Length != 3)
            throw new ArgumentException($"{Name} takes images [channels, height, width], not an input of shape [{string.Join(", ", shape)}].", nameof(inputShape));
        long count = classes ?? Classes;
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(classes), count, $"{Name} needs at least one class.");
        return _create(shape, count, layers);
    }

    public override string ToString() => Name;
}
