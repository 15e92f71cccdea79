using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SparsityKit.Training;

namespace SparsityKit.Clusters;

/// <summary>
/// How plans are written as JSON: indented, with the optimizer and learning-rate schedule of the training config
/// tagged by their type name (every concrete subtype in the library, so new ones need no change here).
/// </summary>
internal static class PlanJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { TagSubtypes } },
        Converters = { new JsonStringEnumConverter() },   // a lottery's controls by name ("RandomReinit, RandomMask"), not a number
    };

    private static readonly Type[] Polymorphic = [typeof(OptimizerSettings), typeof(LearningRateSchedule)];

    private static void TagSubtypes(JsonTypeInfo info)
    {
        if (!Polymorphic.Contains(info.Type)) return;
        var options = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$type" };
        foreach (var type in info.Type.Assembly.GetTypes().Where(t => t.IsSubclassOf(info.Type) && !t.IsAbstract && t.IsPublic).OrderBy(t => t.Name))
            options.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
        info.PolymorphismOptions = options;
    }
}
