// --export DIR (or the export command): a trained (pruned) model written for PyTorch and for SparsityKit, with a description of it.
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using SparsityKit.Checkpoints;
using SparsityKit.Data;
using SparsityKit.Interop;
using SparsityKit.Methods;
using SparsityKit.Sparsity;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Train.Jobs;

internal static class ModelExport
{
    /// <summary>
    /// Writes DIR/model.pt (plain state_dict, pruned weights zero), DIR/model.pruned.pt (torch.nn.utils.prune form),
    /// DIR/model.safetensors, DIR/model.sksp (SparsityKit's sparse checkpoint; model.f16.sksp with float16 values) and
    /// DIR/model.json (architecture, parameters in order with shapes, input shape, normalisation, test accuracy), and
    /// prints the files' sizes beside the dense float32 weights and their gzip.
    /// </summary>
    /// <param name="normalisation">What the data's inputs were normalised with, written as is (one number per channel, or one for grey images).</param>
    public static void Export(string directory, string architecture, nn.Module<Tensor, Tensor> model, MaskSet? masks, IDataSource data, string dataset,
        (object Mean, object Std) normalisation)
    {
        Directory.CreateDirectory(directory);
        masks ??= MaskSet.Ones(model);
        masks.ApplyTo(model);
        double accuracy;
        using (ConvolutionBackend.ForModel(model, data))   // the backend training chose for this model
            accuracy = data is Dataset tensors
                ? Evaluation.Evaluate(model, tensors.TestImages, tensors.TestLabels).Accuracy
                : Evaluation.Measure(model, data.TestBatches(500)).Accuracy;
        string File(string name) => Path.Combine(directory, name);
        PyTorchFiles.SaveStateDict(File("model.pt"), model, masks);
        PyTorchFiles.SavePrunedStateDict(File("model.pruned.pt"), model, masks);
        PyTorchFiles.SaveSafetensors(File("model.safetensors"), model, masks);
        SparseCheckpoint.Save(File("model.sksp"), model, masks);
        SparseCheckpoint.Save(File("model.f16.sksp"), model, masks, ValuePrecision.Float16);
        var (mean, std) = normalisation;
        var description = new
        {
            architecture,
            dataset,
            parameters = model.named_parameters().Select(p => new { name = p.name, shape = p.parameter.shape }).ToArray(),
            input_shape = data.ImageShape,
            normalisation = new { mean, std, applies_to = "pixels scaled to [0, 1]: x = (pixel / 255 - mean) / std" },
            sparsity = masks.Sparsity,
            test_accuracy = accuracy,
            files = new
            {
                plain = "model.pt",
                prune_form = "model.pruned.pt",
                safetensors = "model.safetensors",
                sparse_checkpoint = "model.sksp",
                sparse_checkpoint_float16 = "model.f16.sksp",
            },
        };
        System.IO.File.WriteAllText(File("model.json"), JsonSerializer.Serialize(description, new JsonSerializerOptions { WriteIndented = true }));

        var dense = DenseBytes(model);
        long gzip = GzipLength(dense);
        Console.WriteLine($"exported to {directory}: test accuracy {accuracy:P2}, sparsity {masks.Sparsity:P1}");
        Console.WriteLine($"  {"dense float32 weights",-24} {dense.Length,10:N0} bytes");
        Console.WriteLine($"  {"gzip of dense float32",-24} {gzip,10:N0} bytes ({(double)dense.Length / gzip:F1}x smaller)");
        foreach (var name in new[] { "model.pt", "model.pruned.pt", "model.safetensors", "model.sksp", "model.f16.sksp" })
        {
            long size = new FileInfo(File(name)).Length;
            Console.WriteLine($"  {name,-24} {size,10:N0} bytes ({(double)dense.Length / size:F1}x smaller than dense)");
        }
    }

    private static byte[] DenseBytes(nn.Module model)
    {
        using var output = new MemoryStream();
        foreach (var (_, p) in model.named_parameters())
        {
            using var cpu = p.detach().to(ScalarType.Float32).cpu().contiguous();
            output.Write(cpu.bytes);
        }
        return output.ToArray();
    }

    private static long GzipLength(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(bytes);
        return output.Length;
    }
}
