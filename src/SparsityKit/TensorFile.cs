using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit;

/// <summary>
/// Saves and loads a set of named float32 tensors (weights, snapshots, masks) in one small binary file:
/// "SKTF" magic, format version, count, then per tensor its name, shape and little-endian float32 values.
/// </summary>
public static class TensorFile
{
    private const string Magic = "SKTF";
    private const int Version = 1;

    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var entries = tensors.ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Write to a temporary file and move it into place, so a crash never leaves a half-written file.
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(Version);
            writer.Write(entries.Count);
            foreach (var (name, tensor) in entries)
            {
                using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
                writer.Write(name);
                writer.Write(cpu.dim());
                foreach (var d in cpu.shape) writer.Write(d);
                writer.Write(cpu.bytes);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads every tensor of a file onto <paramref name="device"/> (CPU by default), in file order.</summary>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tensor file not found: {path}", path);
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            var magic = Encoding.ASCII.GetString(reader.ReadBytes(4));
            if (magic != Magic) throw new InvalidDataException($"{path} is not a SparsityKit tensor file (magic '{magic}').");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"{path} has tensor-file version {version}; this SparsityKit reads version {Version}.");
            int count = reader.ReadInt32();
            var result = new Dictionary<string, Tensor>(count);
            for (int i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var shape = new long[reader.ReadInt64()];
                for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
                long elements = shape.Aggregate(1L, (a, b) => a * b);
                var values = new float[elements];
                var bytes = reader.ReadBytes(checked((int)(elements * sizeof(float))));
                if (bytes.Length != values.Length * sizeof(float)) throw new EndOfStreamException();
                Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
                var loaded = tensor(values, shape);
                result[name] = (device is null || device.type == DeviceType.CPU ? loaded : loaded.to(device)).DetachFromDisposeScope();
            }
            return result;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated: delete it and compute it again.");
        }
    }
}
