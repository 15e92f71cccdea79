using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using SparsityKit.Data;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>
/// Writes any settings object (a config record, a training method, a distribution, a schedule) as one canonical
/// line of text: its type name and every field, recursively, in name order, numbers in round-trip form, lists
/// element by element, tensors and masks as a hash of their values. Two objects get the same description exactly
/// when every value that can change a run's result is equal, so the description is what a run store keys by.
/// </summary>
/// <remarks>
/// Fields are read, not properties, so state captured by primary constructors (a random criterion's seed) counts.
/// A delegate is described by the fields it captured, not by its compiler-generated name, which changes whenever a
/// notebook cell is re-run; a type can take over its own description with <see cref="IDescribable"/>.
/// </remarks>
public static class CanonicalDescription
{
    private const int MaxDepth = 16;

    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Write(text, value, 0, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return text.ToString();
    }

    /// <summary>The first 16 hex digits of the SHA-256 of a description.</summary>
    public static string Hash(string description) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];

    private static void Write(StringBuilder text, object? value, int depth, HashSet<object> path)
    {
        if (depth > MaxDepth) { text.Append("<deep>"); return; }
        switch (value)
        {
            case null: text.Append("null"); return;
            case string s: text.Append('"').Append(s.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"'); return;
            case bool b: text.Append(b ? "true" : "false"); return;
            case double d: text.Append(d.ToString("R", CultureInfo.InvariantCulture)); return;
            case float f: text.Append(f.ToString("R", CultureInfo.InvariantCulture)); return;
            case Enum e: text.Append(e.GetType().Name).Append('.').Append(e); return;
            case IFormattable number when value.GetType().IsPrimitive || value is decimal:
                text.Append(number.ToString(null, CultureInfo.InvariantCulture)); return;
            case Type type: text.Append("type ").Append(type.Name); return;
            case IDescribable describable: text.Append(describable.Describe()); return;
            case Tensor tensor: text.Append("tensor ").Append(TensorHash(tensor)); return;
            case Dataset data: text.Append(DataFingerprint(data)); return;
            case nn.Module model: WriteModel(text, model); return;
            case MaskSet masks:
                text.Append("masks{");
                foreach (var (name, mask) in masks.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                    text.Append(name).Append('=').Append(TensorHash(mask)).Append(';');
                text.Append('}');
                return;
        }
        if (!path.Add(value)) { text.Append("<cycle>"); return; }
        try
        {
            switch (value)
            {
                case IDictionary dictionary:
                    var entries = new List<(string Key, object? Value)>();
                    foreach (DictionaryEntry entry in dictionary) entries.Add((Of(entry.Key), entry.Value));
                    text.Append('{');
                    foreach (var (key, item) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        text.Append(key).Append(':');
                        Write(text, item, depth + 1, path);
                        text.Append(',');
                    }
                    text.Append('}');
                    return;
                case IEnumerable sequence:
                    // A set has no order of its own: sort its elements' descriptions so equal sets describe alike.
                    bool unordered = value.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISet<>));
                    var items = sequence.Cast<object?>().Select(item =>
                    {
                        var one = new StringBuilder();
                        Write(one, item, depth + 1, path);
                        return one.ToString();
                    });
                    text.Append('[').AppendJoin(',', unordered ? items.Order(StringComparer.Ordinal) : items).Append(']');
                    return;
                case Delegate function:
                    // A named method keeps its name; a lambda's generated name ("<Main>b__0_1") changes with unrelated edits.
                    text.Append("function");
                    if (!function.Method.Name.Contains('<')) text.Append(' ').Append(function.Method.Name);
                    if (function.Target is { } closure) WriteFields(text, closure, depth, path);
                    return;
                default:
                    text.Append(TypeName(value.GetType()));
                    WriteFields(text, value, depth, path);
                    return;
            }
        }
        finally { path.Remove(value); }
    }

    private static void WriteFields(StringBuilder text, object value, int depth, HashSet<object> path)
    {
        text.Append('{');
        foreach (var (name, field) in Fields(value.GetType()))
        {
            var item = field.GetValue(value);
            if (IsLeftOutAtDefault(field, item)) continue;
            text.Append(name).Append('=');
            Write(text, item, depth + 1, path);
            text.Append(';');
        }
        text.Append('}');
    }

    // Every instance field of the type and its bases, by its source name (a backing field by its property's name).
    private static IEnumerable<(string Name, FieldInfo Field)> Fields(Type type)
    {
        var fields = new List<(string, FieldInfo)>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.IsDefined(typeof(NotInRunKeyAttribute))) continue;
                fields.Add((SourceName(field.Name), field));
            }
        return fields.OrderBy(f => f.Item1, StringComparer.Ordinal);
    }

    private static bool IsLeftOutAtDefault(FieldInfo field, object? value) =>
        field.IsDefined(typeof(InRunKeyUnlessDefaultAttribute)) &&
        (value is null || (field.FieldType.IsValueType && value.Equals(Activator.CreateInstance(field.FieldType))));

    // "<Target>k__BackingField" -> "Target"; "<seed>P" (a primary-constructor parameter) -> "seed"; "_rule" -> "rule".
    private static string SourceName(string field) =>
        field.StartsWith('<') && field.IndexOf('>') is > 0 and var end ? field[1..end] : field.TrimStart('_');

    // A type's name without the notebook submission or namespace it was compiled in, so it survives a kernel restart.
    private static string TypeName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(",", type.GetGenericArguments().Select(TypeName))}>" : type.Name;

    // A model is what it computes from: its modules' kinds, and every parameter and buffer by name, shape and value.
    // Built from a seed, its values cover the factory, the layer types and the initialisation at once.
    private static void WriteModel(StringBuilder text, nn.Module model)
    {
        text.Append("model{");
        foreach (var (name, module) in model.named_modules()) text.Append(name).Append(':').Append(TypeName(module.GetType())).Append(';');
        foreach (var (name, parameter) in model.named_parameters()) text.Append(name).Append('=').Append(TensorHash(parameter)).Append(';');
        foreach (var (name, buffer) in model.named_buffers()) text.Append(name).Append('=').Append(TensorHash(buffer)).Append(';');
        text.Append('}');
    }

    private static readonly ConditionalWeakTable<Dataset, string> DataFingerprints = new();

    // Name, sizes and a hash of every tensor (once per data set object): a synthetic set of another size or seed, another
    // validation split or another augmentation of the same files all differ.
    private static string DataFingerprint(Dataset data) => DataFingerprints.GetValue(data, d =>
    {
        var tensors = new[] { d.TrainImages, d.TrainLabels, d.TestImages, d.TestLabels, d.ValidationImages, d.ValidationLabels };
        return $"data{{name={Of(d.Name)};classes={d.ClassCount};" +
            string.Join(";", tensors.Select((t, i) => $"{i}={(t is null ? "none" : TensorHash(t))}")) + "}";
    });

    private static string TensorHash(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        var header = $"{cpu.dtype}[{string.Join("x", cpu.shape)}]";
        return header + ":" + Convert.ToHexStringLower(SHA256.HashData(cpu.bytes))[..16];
    }
}

/// <summary>A settings type that writes its own canonical description (see <see cref="CanonicalDescription"/>).</summary>
public interface IDescribable
{
    string Describe();
}

/// <summary>Marks a field that holds run-time state, not a setting: it is left out of run keys.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class NotInRunKeyAttribute : Attribute;

/// <summary>
/// Marks a setting added after runs were stored: it is left out of run keys while it holds its type's default value
/// (0, false, null), so the keys of runs made before it existed, which ran as if it were at that default, do not change.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class InRunKeyUnlessDefaultAttribute : Attribute;
