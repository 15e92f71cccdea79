using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit;

/// <summary>
/// Saves and loads a set of named float32 tensors (weights, snapshots, masks) in one small binary file:
/// "SKTF" magic, format version, a label naming what the file belongs to, count, then per tensor its name, shape and
/// encoding (<see cref="TensorEncoding"/>: float32, or one bit a value for masks) and values, and last the SHA-256 of
/// everything before it, so a damaged file is never loaded. Version 2 files (float32 only) and version 1 files (no label,
/// no checksum) still load.
/// </summary>
public static class TensorFile
{
    private const string Magic = "SKTF";
    private const int Version = 3;
    private const int MaxDimensions = 8;

    /// <param name="label">What the file belongs to (a run's key); <see cref="Load"/> can insist on it.</param>
    /// <param name="encoding"><see cref="TensorEncoding.Bits"/> for masks; a tensor with another value is refused, naming it.</param>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, string label = "", TensorEncoding encoding = TensorEncoding.Float32)
    {
        var entries = tensors.ToList();
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(Version);
            writer.Write(label);
            writer.Write(entries.Count);
            foreach (var (name, tensor) in entries)
            {
                using var scope = NewDisposeScope();
                var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
                writer.Write(name);
                writer.Write(cpu.dim());
                foreach (var d in cpu.shape) writer.Write(d);
                writer.Write((byte)encoding);
                writer.Write(encoding == TensorEncoding.Bits ? PackBits(name, cpu) : cpu.bytes);
            }
        }
        body.Write(SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length)));
        DurableFile.WriteAllBytes(path, body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    /// <summary>Loads every tensor of a file onto <paramref name="device"/> (CPU by default), in file order.</summary>
    /// <param name="expectedLabel">If given, the file must carry this label (it belongs to this run, not another).</param>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null, string? expectedLabel = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tensor file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var result = new Dictionary<string, Tensor>();
        try
        {
            var magic = Encoding.ASCII.GetString(reader.ReadBytes(4));
            if (magic != Magic) throw new InvalidDataException($"{path} is not a SparsityKit tensor file (magic '{magic}').");
            int version = reader.ReadInt32();
            if (version is < 1 or > Version) throw new InvalidDataException($"{path} has tensor-file version {version}; this SparsityKit reads versions 1 to {Version}: update SparsityKit to read it.");
            long end = bytes.Length;
            if (version >= 2)
            {
                end -= SHA256.HashSizeInBytes;
                if (end < 8 || !SHA256.HashData(bytes.AsSpan(0, (int)end)).AsSpan().SequenceEqual(bytes.AsSpan((int)end)))
                    throw new InvalidDataException($"{path} is damaged (its checksum does not match its contents): delete it and compute it again.");
                var label = reader.ReadString();
                if (expectedLabel is not null && label != expectedLabel)
                    throw new InvalidDataException($"{path} belongs to '{label}', not to '{expectedLabel}' (copied from another run?): delete it and compute it again.");
            }
            int count = reader.ReadInt32();
            if (count < 0) throw Damaged(path, $"a negative tensor count ({count})");
            for (int i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                long rank = reader.ReadInt64();
                if (rank is < 0 or > MaxDimensions) throw Damaged(path, $"tensor '{name}' with {rank} dimensions");
                var shape = new long[rank];
                for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
                var encoding = version >= 3 ? (TensorEncoding)reader.ReadByte() : TensorEncoding.Float32;
                if (!Enum.IsDefined(encoding)) throw Damaged(path, $"tensor '{name}' in an unknown encoding {(byte)encoding}");
                long remaining = end - reader.BaseStream.Position;
                long valuesPerByte = encoding == TensorEncoding.Bits ? 8 : 1, bytesPerValue = encoding == TensorEncoding.Bits ? 1 : sizeof(float);
                long elements = 1;
                foreach (var size in shape)
                {
                    if (size < 0 || (size > 0 && elements > remaining * valuesPerByte / bytesPerValue / size))
                        throw Damaged(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}], larger than the file");
                    elements *= size;
                }
                var values = new float[elements];
                if (encoding == TensorEncoding.Bits) UnpackBits(reader.ReadBytes(checked((int)((elements + 7) / 8))), values);
                else
                {
                    var data = reader.ReadBytes(checked((int)(elements * sizeof(float))));
                    if (data.Length != values.Length * sizeof(float)) throw new EndOfStreamException();
                    Buffer.BlockCopy(data, 0, values, 0, data.Length);
                }
                // In a scope, so the CPU tensor a device copy is made from is freed here, not by the finalizer thread.
                using var scope = NewDisposeScope();
                var loaded = tensor(values, shape);
                result[name] = (device is null || device.type == DeviceType.CPU ? loaded : loaded.to(device)).DetachFromDisposeScope();
            }
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or OverflowException)
        {
            foreach (var t in result.Values) t.Dispose();
            if (e is InvalidDataException) throw;
            throw new InvalidDataException($"{path} is truncated or damaged ({e.Message}): delete it and compute it again.", e);
        }
    }

    // Lowest bit first; only exact 0s and 1s (not -0.0), so that loading gives back the same bits.
    private static byte[] PackBits(string name, Tensor values)
    {
        var floats = values.data<float>();
        var packed = new byte[(floats.Count + 7) / 8];
        for (long i = 0; i < floats.Count; i++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(floats[i]);
            if (bits == 0x3F80_0000u) packed[i >> 3] |= (byte)(1 << (int)(i & 7));
            else if (bits != 0)
                throw new ArgumentException($"Tensor '{name}' holds {floats[i]} at index {i}: only tensors of exact 0s and 1s (masks) can be saved as bits. Save it with TensorEncoding.Float32.");
        }
        return packed;
    }

    private static void UnpackBits(byte[] packed, float[] values)
    {
        if (packed.Length != (values.Length + 7) / 8) throw new EndOfStreamException();
        for (int i = 0; i < values.Length; i++) values[i] = (packed[i >> 3] >> (i & 7) & 1) == 1 ? 1f : 0f;
    }

    private static InvalidDataException Damaged(string path, string what) =>
        new($"{path} is damaged (it declares {what}): delete it and compute it again.");
}
