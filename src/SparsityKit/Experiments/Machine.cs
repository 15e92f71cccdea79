using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>
/// The processor a run trained on, as its record keeps it (<see cref="RunRecord.Machine"/>). Why: the same seed and thread
/// count give bit-identical results on the same kind of processor, but libtorch's oneDNN and oneMKL choose their kernels
/// by the processor, so another kind can differ in the last bits (and, over a training, in the accuracy's last digits).
/// </summary>
public static class Machine
{
    private static readonly Lazy<string> Processor = new(DescribeProcessor);

    /// <summary>"AMD EPYC, family 26 model 2, 2 logical processors, cpu": the processor, then the device the run trained on.</summary>
    public static string Describe(Device device) => $"{Processor.Value}, {device.type.ToString().ToLowerInvariant()}";

    private static string DescribeProcessor()
    {
        string name = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        string kind = "";
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                // The first processor's fields; on x86 its family and model tell processor generations apart.
                var fields = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0)
                    .Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
                if (fields.TryGetValue("model name", out var model)) name = model;
                if (fields.TryGetValue("cpu family", out var family) && fields.TryGetValue("model", out var number)) kind = $", family {family} model {number}";
            }
        }
        catch (IOException) { }   // unreadable: the architecture alone
        return $"{name}{kind}, {Environment.ProcessorCount} logical processors";
    }
}
