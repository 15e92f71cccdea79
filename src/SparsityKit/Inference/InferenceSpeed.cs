using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>
/// One measured speed-up of a <see cref="SparseModel"/> over the dense forward pass of the same masked model: the median
/// of dense over sparse time within each repeat, its range over repeats, and the speed-up the FLOP count promises.
/// </summary>
public sealed record SpeedupMeasurement(string Model, double Sparsity, long Batch, int Threads, double DenseSeconds,
    double SparseSeconds, double Speedup, double MinSpeedup, double MaxSpeedup, double PromisedSpeedup, int Repeats);

/// <summary>Times a sparse model against a dense forward pass, interleaved, so a busy machine's drift cancels in the ratio.</summary>
public static class InferenceSpeed
{
    /// <summary>
    /// Dense and sparse forward passes on <paramref name="input"/>, alternately (order alternating between repeats), each
    /// repeated for about <paramref name="window"/> seconds per repeat; times are medians over repeats, per forward pass.
    /// Runs on libtorch's current number of threads (<c>torch.get_num_threads()</c>) unless the sparse model sets its own.
    /// </summary>
    public static SpeedupMeasurement Measure(Func<Tensor, Tensor> dense, SparseModel sparse, Tensor input, string model = "",
        double sparsity = double.NaN, int repeats = 5, double window = 0.05)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "Measure at least one repeat.");
        if (!(window > 0)) throw new ArgumentOutOfRangeException(nameof(window), window, "The timing window must be a positive number of seconds.");
        using var noGrad = no_grad();
        void Dense() => dense(input).Dispose();
        void Sparse() => sparse.forward(input).Dispose();
        int denseRuns = RunsFor(Dense, window), sparseRuns = RunsFor(Sparse, window);
        var denseTimes = new double[repeats];
        var sparseTimes = new double[repeats];
        var ratios = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            if (r % 2 == 0) { denseTimes[r] = Time(Dense, denseRuns); sparseTimes[r] = Time(Sparse, sparseRuns); }
            else { sparseTimes[r] = Time(Sparse, sparseRuns); denseTimes[r] = Time(Dense, denseRuns); }
            ratios[r] = denseTimes[r] / sparseTimes[r];
        }
        return new SpeedupMeasurement(model, sparsity, input.size(0), sparse.Threads ?? get_num_threads(), Median(denseTimes),
            Median(sparseTimes), Median(ratios), ratios.Min(), ratios.Max(), sparse.PromisedSpeedup, repeats);
    }

    // A warm-up run (the first call of a path includes its compilation), then one timed run sets how many fill the window.
    private static int RunsFor(Action run, double window)
    {
        run();
        return (int)Math.Clamp(window / Math.Max(Time(run, 1), 1e-7), 1, 100_000);
    }

    private static double Time(Action run, int runs)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < runs; i++) run();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / runs;
    }

    private static double Median(double[] values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
