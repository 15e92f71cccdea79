// Is oneDNN's float32 convolution right on this CPU, and at which instruction set? LeNet-5's conv2 (20 to 50 channels,
// 5x5, batch 60) forward and backward in float32 against float64, with the time of a float32 pass; run it once per
// ONEDNN_MAX_CPU_ISA value to see which kernels are wrong:
//   for isa in "" AVX512_CORE AVX2 AVX SSE41; do ONEDNN_MAX_CPU_ISA=$isa dotnet run -c Release bench/onednn-conv-check.cs; done
// Columns: relative error of the output, the input's gradient and the weight's gradient (float32 rounding is ~1e-6).
// The PyTorch 1.13 peer (oneDNN 2.x) gets all three right here (bench/peer.sh; see bench/results/2026-12-06-onednn-isa.txt).
#:package TorchSharp@0.107.0
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
set_num_threads(1);
manual_seed(0);
var conv = nn.Conv2d(20, 50, 5);
var x = randn(60, 20, 12, 12);
(Tensor, Tensor, Tensor) Run(ScalarType t)
{
    var c = nn.Conv2d(20, 50, 5); c.to(t);
    using (no_grad()) { c.weight!.copy_(conv.weight!); c.bias!.copy_(conv.bias!); }
    var xi = x.to(t).detach(); xi.requires_grad = true;
    var y = c.call(xi);
    (y * arange(y.numel(), dtype: t).view(y.shape).sin()).sum().backward();
    return (y.detach().to(float64), xi.grad!.to(float64), c.weight!.grad!.to(float64));
}
var a = Run(float32); var b = Run(float64);
double E(Tensor p, Tensor q) => ((p - q).abs().max() / q.abs().max()).item<double>();
var sw = Stopwatch.StartNew();
for (int i = 0; i < 50; i++) { using var s = NewDisposeScope(); Run(float32); }
Console.WriteLine($"oneDNN ISA {Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "default"}: errors {E(a.Item1, b.Item1):E1} {E(a.Item2, b.Item2):E1} {E(a.Item3, b.Item3):E1}; {sw.Elapsed.TotalMilliseconds / 50:F1} ms per fwd+bwd");
