using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// A pruned model for inference (see <see cref="SparseInference.Convert"/>): its weight layers run a sparse CSR kernel
/// where that beats libtorch's dense product and the dense product elsewhere. When any layer of a batch runs sparse,
/// the whole pass runs in the panel layout of <see cref="SparseKernel"/> (transposed once on the way in and once out);
/// otherwise it is the masked dense model, op for op. Outputs equal the masked dense model's up to float rounding.
/// </summary>
public sealed class SparseModel : IDisposable
{
    public SparseModel(long[] inputShape, IReadOnlyList<InferenceLayer> layers)
    {
        if (layers.Count == 0) throw new ArgumentException("An inference model needs at least one layer.");
        InputShape = inputShape;
        Layers = layers;
        // The layer choice depends only on whether a batch is small, so batch 1 stands for every small batch.
        _smallBatchesWithoutLibtorch = RunsSparse(1) && layers.All(l => l.RunsWithoutLibtorch(1));
        _largestFeatures = Math.Max(InputFeatures, layers.Max(l => l.OutputFeatures));
        _outputShapeOfOne = [1, .. layers[^1].OutputShape];
    }

    /// <summary>One example's input shape ([784] for LeNet-300-100, [1, 28, 28] for LeNet-5).</summary>
    public long[] InputShape { get; }

    public IReadOnlyList<InferenceLayer> Layers { get; }

    /// <summary>Threads for the sparse kernel; null uses libtorch's current number (<c>torch.get_num_threads()</c>).</summary>
    public int? Threads { get; set; }

    public long InputFeatures => InputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether any layer runs sparse for a batch of this size.</summary>
    public bool RunsSparse(long batch) => Layers.Any(l => l.RunsSparse(batch));

    /// <summary>Dense over sparse multiply-accumulates per example: the speed-up the FLOP count promises.</summary>
    public double PromisedSpeedup => (double)Layers.Sum(l => l.DenseFlops) / Math.Max(1, Layers.Sum(l => l.SparseFlops));

    /// <summary>[batch, input shape...] (or [batch, input features]) to the model's output [batch, ...].</summary>
    public Tensor forward(Tensor input)
    {
        // size(0) and numel, not shape: each read of shape costs about 2 microseconds (a callback from native code),
        // as much as the whole sparse product of LeNet-300-100 at batch 1.
        if (input.dim() < 2 || input.numel() != input.size(0) * InputFeatures)
            throw new ArgumentException($"Input [{string.Join(", ", input.shape)}] is not a batch of [{string.Join(", ", InputShape)}] examples " +
                $"({InputFeatures} values each): pass [batch, {string.Join(", ", InputShape)}].");
        long batch = input.size(0);
        int threads = Math.Max(1, Threads ?? get_num_threads());
        if (batch < SparseKernel.BatchAlignment && _smallBatchesWithoutLibtorch)
            return ForwardSmall(input, batch, threads);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (!RunsSparse(batch))
        {
            // Layer by layer as the dense model runs (each layer reshapes its input only where it must).
            var h = input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 ? input : input.to(ScalarType.Float32).cpu();
            foreach (var layer in Layers) h = layer.ForwardBatchMajor(h);
            return h.MoveToOuterDisposeScope();
        }
        var x = input.to(ScalarType.Float32).cpu().reshape([batch, .. InputShape]);
        var layout = PanelLayout.For(batch);
        var flat = x.reshape(batch, InputFeatures).contiguous();
        Tensor panels;
        if (batch == 1) panels = flat.view(1, InputFeatures, 1);
        else
        {
            panels = empty(layout.Panels, InputFeatures, layout.Width);
            SparseKernel.ToPanels(flat, panels, batch, InputFeatures, layout.Width, threads);   // padding examples are zeros
        }
        // Layer by layer over the whole batch while its activations are small (measured faster for LeNet-300-100 at
        // batch 10,000: fewer libtorch calls); panel by panel when they would not stay in cache (LeNet-5: 740 MB).
        if (layout.Panels == 1 || _largestFeatures * layout.Panels * layout.Width * sizeof(float) <= PanelByPanelAbove)
            foreach (var layer in Layers) panels = layer.ForwardPanels(panels, layout, threads);
        else panels = ForwardPanelByPanel(panels, layout, threads);
        var outputShape = Layers[^1].OutputShape;
        return panels.view(layout.Panels, -1, layout.Width).permute(0, 2, 1).reshape(layout.Panels * layout.Width, -1)
            .narrow(0, 0, batch).reshape([batch, .. outputShape]).contiguous().MoveToOuterDisposeScope();
    }

    // Each panel through every layer before the next panel: its activations stay in cache (over a whole batch of
    // 10,000, LeNet-5's first activations alone take 740 MB). Threads take whole panels.
    private Tensor ForwardPanelByPanel(Tensor panels, PanelLayout layout, int threads)
    {
        var output = empty(layout.Panels, Layers[^1].OutputFeatures, layout.Width);
        var one = layout with { Panels = 1 };
        void Run(long p)
        {
            using var scope = NewDisposeScope();
            var x = panels.narrow(0, p, 1);
            foreach (var layer in Layers) x = layer.ForwardPanels(x, one, 1);
            output.narrow(0, p, 1).copy_(x.view(1, -1, layout.Width));
        }
        if (threads <= 1) for (long p = 0; p < layout.Panels; p++) Run(p);
        else Parallel.For(0, layout.Panels, new ParallelOptions { MaxDegreeOfParallelism = threads }, Run);
        return output;
    }

    // Small batches on raw storage, between two scratch buffers: libtorch is called only to make the output tensor.
    private unsafe Tensor ForwardSmall(Tensor input, long batch, int threads)
    {
        bool direct = input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 && input.is_contiguous();
        using var converted = direct ? null : input.detach().to(ScalarType.Float32).cpu().contiguous();
        var output = batch == 1 ? empty(_outputShapeOfOne) : empty([batch, .. Layers[^1].OutputShape]);
        RunWithoutLibtorch(SparseKernel.Pointer(converted ?? input), SparseKernel.Pointer(output), batch, threads);
        return output;
    }

    /// <summary>
    /// The model on plain arrays: <paramref name="input"/> holds a batch of examples one after another (batch x
    /// <see cref="InputFeatures"/> values), <paramref name="output"/> receives batch x <see cref="OutputFeatures"/>. No
    /// tensor is made, so at batch 1 no libtorch call's fixed cost is paid. Runs models whose every layer can run
    /// without libtorch at this batch (<see cref="RunsWithoutLibtorch"/>: small batches of a model with a sparse layer).
    /// </summary>
    public unsafe void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length == 0 || input.Length % InputFeatures != 0)
            throw new ArgumentException($"The input holds {input.Length} values, not a whole number of examples of {InputFeatures} values: pass batch x {InputFeatures} values.", nameof(input));
        long batch = input.Length / InputFeatures;
        if (output.Length != batch * OutputFeatures)
            throw new ArgumentException($"The output holds {output.Length} values; {batch} examples give {batch * OutputFeatures} ({OutputFeatures} each).", nameof(output));
        if (!RunsWithoutLibtorch(batch))
            throw new InvalidOperationException($"This model cannot run a batch of {batch} without libtorch (only batches under {SparseKernel.BatchAlignment} " +
                "of a model with a sparse layer can): call forward with a tensor instead.");
        fixed (float* x = input)
        fixed (float* y = output)
            RunWithoutLibtorch(x, y, batch, Math.Max(1, Threads ?? get_num_threads()));
    }

    /// <summary>Whether <see cref="Forward(ReadOnlySpan{float}, Span{float})"/> can run a batch of this size.</summary>
    public bool RunsWithoutLibtorch(long batch) => batch >= 1 && batch < SparseKernel.BatchAlignment && _smallBatchesWithoutLibtorch;

    /// <summary>One example's output values (10 for LeNet-300-100).</summary>
    public long OutputFeatures => Layers[^1].OutputFeatures;

    // [batch, features] in, [batch, outputs] out, layer by layer between two scratch buffers in [features, batch] order.
    private unsafe void RunWithoutLibtorch(float* x, float* o, long batch, int threads)
    {
        long outputFeatures = Layers[^1].OutputFeatures;
        lock (_scratchLock)
        {
            long size = _largestFeatures * batch;
            if (_scratch[0].Length < size) _scratch = [GC.AllocateUninitializedArray<float>((int)size, pinned: true), GC.AllocateUninitializedArray<float>((int)size, pinned: true)];
            float* a = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_scratch[0]));
            float* b = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_scratch[1]));
            if (batch > 1)   // [batch, features] to [features, batch]
            {
                for (long e = 0; e < batch; e++)
                    for (long f = 0; f < InputFeatures; f++) a[f * batch + e] = x[e * InputFeatures + f];
                x = a;
            }
            for (int i = 0; i < Layers.Count; i++)
            {
                // The last layer of a batch of one writes the output itself ([outputs, 1] is [1, outputs]).
                float* y = batch == 1 && i == Layers.Count - 1 ? o : x == a ? b : a;
                Layers[i].ForwardSmall(x, y, batch, threads);
                x = y;
            }
            if (batch > 1)
                for (long e = 0; e < batch; e++)
                    for (long f = 0; f < outputFeatures; f++) o[e * outputFeatures + f] = x[f * batch + e];
        }
    }

    /// <summary>Above this many bytes of a layer's output over the whole batch, the batch runs panel by panel.</summary>
    internal long PanelByPanelAbove { get; set; } = 32L << 20;

    private readonly bool _smallBatchesWithoutLibtorch;
    private readonly long _largestFeatures;
    private readonly long[] _outputShapeOfOne;
    private readonly object _scratchLock = new();
    private float[][] _scratch = [[], []];

    /// <summary>Per weight layer: density and whether it runs sparse at batch 1 and at batch 10,000.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"layer",-10} {"shape",-22} {"density",8} {"batch 1",8} {"batch 10000",12}");
        foreach (var l in Layers.Where(l => l.DenseFlops > 0))
            text.AppendLine($"{l.Name,-10} {$"[{string.Join(", ", l.InputShape)}] -> [{string.Join(", ", l.OutputShape)}]",-22} {l.Density,8:P1} " +
                $"{(l.RunsSparse(1) ? "sparse" : "dense"),8} {(l.RunsSparse(10_000) ? "sparse" : "dense"),12}");
        text.Append($"FLOP-promised speed-up {PromisedSpeedup:F2}x");
        return text.ToString();
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }
}
