using System.Collections;
using System.Runtime.InteropServices;
using System.Text;
using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Checkpoints;

/// <summary>Precision of the values a <see cref="SparseCheckpoint"/> stores.</summary>
public enum ValuePrecision
{
    /// <summary>float32: loads back bit-identical.</summary>
    Float32,
    /// <summary>float16 (IEEE half): half the bytes; loads back as the float16-rounded weights.</summary>
    Float16,
}

/// <summary>
/// A pruned model saved small: every parameter in state-dict order; a masked one as its kept weights' positions and
/// values only, the positions as a bitmap (one bit per weight) or as 32-bit indices, whichever is smaller (indices win
/// above about 97% sparsity); unmasked ones (biases) whole. Loading gives back the weights (pruned ones zero) and the
/// masks: bit-identical at <see cref="ValuePrecision.Float32"/> (a pruned weight loads as +0, whatever the sign of
/// the zero that masking left: -0.0 and 0.0 are equal as numbers but not as bits).
/// File: "SKSP", version, count, then per tensor: name, shape, encoding (0 whole, 1 bitmap, 2 indices), precision,
/// the positions, the values; little-endian.
/// </summary>
public static class SparseCheckpoint
{
    private const string Magic = "SKSP";
    private const int Version = 1;
    private const byte Whole = 0, Bitmap = 1, Indices = 2;

    /// <summary>Saves <paramref name="model"/>'s parameters with <paramref name="masks"/> (the model is not changed).</summary>
    public static void Save(string path, nn.Module model, MaskSet masks, ValuePrecision precision = ValuePrecision.Float32)
    {
        var parameters = model.named_parameters().ToList();
        foreach (var name in masks.Names)
            if (parameters.All(p => p.name != name)) throw new ArgumentException($"Mask '{name}' names no parameter of the model.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(Version);
            writer.Write(parameters.Count);
            foreach (var (name, parameter) in parameters)
            {
                var values = Floats(parameter);
                var keep = masks.Names.Contains(name) ? Floats(masks[name]) : null;
                writer.Write(name);
                writer.Write((int)parameter.dim());
                foreach (var d in parameter.shape) writer.Write(d);
                if (keep is null)
                {
                    writer.Write(Whole);
                    writer.Write((byte)precision);
                    WriteValues(writer, values, precision);
                    continue;
                }
                var kept = Enumerable.Range(0, values.Length).Where(i => keep[i] != 0).ToArray();
                bool bitmap = (values.Length + 7) / 8 <= kept.Length * sizeof(int);
                writer.Write(bitmap ? Bitmap : Indices);
                writer.Write((byte)precision);
                writer.Write(kept.Length);
                if (bitmap)
                {
                    var bits = new BitArray(values.Length);
                    foreach (var i in kept) bits[i] = true;
                    var bytes = new byte[(values.Length + 7) / 8];
                    bits.CopyTo(bytes, 0);
                    writer.Write(bytes);
                }
                else writer.Write(MemoryMarshal.AsBytes(kept.AsSpan()));
                WriteValues(writer, kept.Select(i => values[i]).ToArray(), precision);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The saved parameters (state-dict order, pruned weights zero) and the masks of the masked ones.</summary>
    public static (List<KeyValuePair<string, Tensor>> Parameters, MaskSet Masks) Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sparse checkpoint not found: {path}", path);
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        var magic = Encoding.ASCII.GetString(reader.ReadBytes(4));
        if (magic != Magic) throw new InvalidDataException($"{path} is not a SparsityKit sparse checkpoint (magic '{magic}', expected '{Magic}').");
        int version = reader.ReadInt32();
        if (version != Version) throw new InvalidDataException($"{path} has sparse-checkpoint version {version}; this SparsityKit reads version {Version}.");
        int count = reader.ReadInt32();
        var parameters = new List<KeyValuePair<string, Tensor>>(count);
        var masks = new List<KeyValuePair<string, Tensor>>();
        for (int t = 0; t < count; t++)
        {
            var name = reader.ReadString();
            var shape = new long[reader.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
            int total = checked((int)shape.Aggregate(1L, (a, b) => a * b));
            byte encoding = reader.ReadByte();
            var precision = (ValuePrecision)reader.ReadByte();
            if (encoding == Whole)
            {
                parameters.Add(new(name, tensor(ReadValues(reader, total, precision), shape)));
                continue;
            }
            int kept = reader.ReadInt32();
            int[] positions;
            if (encoding == Bitmap)
            {
                var bits = new BitArray(reader.ReadBytes((total + 7) / 8));
                positions = Enumerable.Range(0, total).Where(i => bits[i]).ToArray();
            }
            else if (encoding == Indices) positions = MemoryMarshal.Cast<byte, int>(reader.ReadBytes(kept * sizeof(int))).ToArray();
            else throw new InvalidDataException($"{path}: tensor '{name}' has unknown encoding {encoding}.");
            if (positions.Length != kept) throw new InvalidDataException($"{path}: tensor '{name}' lists {positions.Length} kept weights, its header {kept}.");
            var values = ReadValues(reader, kept, precision);
            var dense = new float[total];
            var mask = new float[total];
            for (int k = 0; k < kept; k++)
            {
                dense[positions[k]] = values[k];
                mask[positions[k]] = 1;
            }
            parameters.Add(new(name, tensor(dense, shape)));
            masks.Add(new(name, tensor(mask, shape)));
        }
        return (parameters, new MaskSet(masks));
    }

    /// <summary>Loads a checkpoint into <paramref name="model"/> (same parameter names and shapes) and returns its masks.</summary>
    public static MaskSet LoadInto(nn.Module model, string path)
    {
        var (parameters, masks) = Load(path);
        Assign(model, parameters, path);
        return masks;
    }

    /// <summary>Copies named tensors into the model's parameters, checking that names and shapes match both ways.</summary>
    internal static void Assign(nn.Module model, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, string source)
    {
        var own = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var missing = own.Keys.Except(tensors.Select(t => t.Key)).ToList();
        var unexpected = tensors.Select(t => t.Key).Except(own.Keys).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ArgumentException($"{source} does not match the model: missing {(missing.Count == 0 ? "none" : string.Join(", ", missing))}; " +
                $"unexpected {(unexpected.Count == 0 ? "none" : string.Join(", ", unexpected))}. Load it into the architecture it was saved from.");
        using var noGrad = no_grad();
        foreach (var (name, value) in tensors)
        {
            var p = own[name];
            if (!p.shape.SequenceEqual(value.shape))
                throw new ArgumentException($"{source}: '{name}' has shape [{string.Join(", ", value.shape)}], the model's is [{string.Join(", ", p.shape)}].");
            p.copy_(value);
        }
    }

    private static float[] Floats(Tensor t)
    {
        using var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
        return MemoryMarshal.Cast<byte, float>(cpu.bytes).ToArray();
    }

    private static void WriteValues(BinaryWriter writer, float[] values, ValuePrecision precision)
    {
        if (precision == ValuePrecision.Float32) writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        else writer.Write(MemoryMarshal.AsBytes(values.Select(v => (Half)v).ToArray().AsSpan()));
    }

    private static float[] ReadValues(BinaryReader reader, int count, ValuePrecision precision)
    {
        int width = precision switch
        {
            ValuePrecision.Float32 => sizeof(float),
            ValuePrecision.Float16 => 2,
            _ => throw new InvalidDataException($"Unknown value precision {precision} in a sparse checkpoint."),
        };
        var bytes = reader.ReadBytes(count * width);
        if (bytes.Length != count * width) throw new InvalidDataException($"The sparse checkpoint ends early: {count} values expected, {bytes.Length / width} found (a truncated file?).");
        return precision == ValuePrecision.Float32
            ? MemoryMarshal.Cast<byte, float>(bytes).ToArray()
            : MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(h => (float)h).ToArray();
    }
}
