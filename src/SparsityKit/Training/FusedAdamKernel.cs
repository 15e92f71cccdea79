using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Training;

/// <summary>
/// Adam's update of one parameter in a single pass over CPU memory, mask included. Done with libtorch ops, the same
/// update takes seven passes over the parameter-sized tensors plus two for the mask; for a small model every pass
/// streams its tensors from L3 cache or memory, and those passes, not arithmetic, set the cost. TorchSharp binds no
/// fused optimizer (libtorch's <c>_fused_adam_</c>) and no out= variants, hence this loop over the tensors' storage.
/// It computes what <see cref="AdamOptimizer"/>'s ops compute, in the same order (up to rounding of fused multiply-adds).
/// </summary>
internal static class FusedAdamKernel
{
    // Above this many weights the pass is split over libtorch's number of threads, as its own ops would be.
    private const int ChunkSize = 1 << 18;

    /// <summary>Whether the kernel can run on these tensors: all on the CPU, float32 and contiguous.</summary>
    public static bool Supports(params Tensor?[] tensors)
    {
        foreach (var t in tensors)
            if (t is not null && (t.device_type != DeviceType.CPU || t.dtype != ScalarType.Float32 || !t.is_contiguous())) return false;
        return true;
    }

    /// <summary>
    /// In place: g = grad * mask + weightDecay * p; m += (1 - beta1)(g - m); v = beta2 v + (1 - beta2) g^2;
    /// p = (p - stepSize * m / (sqrt(max(v, smallest normal)) + epsilon)) * mask. A null mask means all ones.
    /// </summary>
    public static void Update(Tensor parameter, Tensor grad, Tensor firstMoment, Tensor secondMoment, Tensor? mask,
        float beta1, float beta2, float weightDecay, float stepSize, float epsilon)
    {
        long count = parameter.numel();
        if (count <= ChunkSize)
        {
            Run(0, (int)count);
            return;
        }
        int chunks = (int)((count + ChunkSize - 1) / ChunkSize);
        var threads = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) };
        Parallel.For(0, chunks, threads, c => Run(c * ChunkSize, (int)Math.Min(ChunkSize, count - (long)c * ChunkSize)));

        void Run(int start, int length)
        {
            var p = Floats(parameter).Slice(start, length);
            var g = Floats(grad).Slice(start, length);
            var m = Floats(firstMoment).Slice(start, length);
            var v = Floats(secondMoment).Slice(start, length);
            var keep = mask is null ? Span<float>.Empty : Floats(mask).Slice(start, length);
            UpdateSpan(p, g, m, v, keep, beta1, beta2, weightDecay, stepSize, epsilon);
        }
    }

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    private static void UpdateSpan(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, ReadOnlySpan<float> keep,
        float beta1, float beta2, float weightDecay, float stepSize, float epsilon)
    {
        bool masked = !keep.IsEmpty;
        int width = Vector<float>.Count, i = 0;
        var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var kv = MemoryMarshal.Cast<float, Vector<float>>(keep);
        var floor = new Vector<float>(AdamOptimizer.SmallestNormalFloat);
        for (int k = 0; k < pv.Length; k++, i += width)
        {
            var grad = masked ? gv[k] * kv[k] : gv[k];
            if (weightDecay != 0) grad += weightDecay * pv[k];
            var first = mv[k] + (1 - beta1) * (grad - mv[k]);
            var second = vv[k] * beta2 + (1 - beta2) * (grad * grad);
            var step = pv[k] - stepSize * (first / (Vector.SquareRoot(Vector.Max(second, floor)) + new Vector<float>(epsilon)));
            mv[k] = first;
            vv[k] = second;
            pv[k] = masked ? step * kv[k] : step;
        }
        for (; i < p.Length; i++)   // the tail shorter than one vector
        {
            float grad = masked ? g[i] * keep[i] : g[i];
            if (weightDecay != 0) grad += weightDecay * p[i];
            m[i] += (1 - beta1) * (grad - m[i]);
            v[i] = v[i] * beta2 + (1 - beta2) * (grad * grad);
            float step = p[i] - stepSize * (m[i] / (MathF.Sqrt(MathF.Max(v[i], AdamOptimizer.SmallestNormalFloat)) + epsilon));
            p[i] = masked ? step * keep[i] : step;
        }
    }
}
