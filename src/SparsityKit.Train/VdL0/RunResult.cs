using SparsityKit.Sparsity;

namespace SparsityKit.Train.VdL0;

/// <summary>What one run reached: its masks' sparsity, final test error, the FLOP report and the wall time.</summary>
internal sealed record RunResult(string Method, double Knob, double Sparsity, double TestError, SparsityReport Report, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Method}: knob {Knob:G4}, sparsity {Sparsity:P2} ({1 - Sparsity:P2} of weights kept), test error {TestError:P2}, " +
        $"compression {Report.CompressionRatio:F1}x, FLOP speed-up {Report.TheoreticalSpeedup:F1}x, {Elapsed.TotalMinutes:F1} min";
}
