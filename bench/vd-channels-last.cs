// Variational dropout on ResNet-20 trained channels-last (notebook 07's setting): where a step's time goes, against the
// dense ResNet-20, and what drawing the local reparameterisation's noise costs. One thread, batch 128, 1x28x28 input,
// SGD; repeats interleave dense and VD in one process. Also times libtorch's randn_like on a channels-last activation
// (element by element) against LayoutNoise.NormalLike (drawn contiguous in NHWC order), interleaved.
//   dotnet run -c Release bench/vd-channels-last.cs [steps per repeat, default 8] [repeats, default 3]
#:project ../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false
using System.Diagnostics;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Training;
using TorchSharp;
using static TorchSharp.torch;

int steps = args.Length > 0 ? int.Parse(args[0]) : 8, repeats = args.Length > 1 ? int.Parse(args[1]) : 3;
set_num_threads(1);
manual_seed(0);
var x = randn(128, 1, 28, 28);
var y = randint(0, 10, [128]);

// Milliseconds per step in forward (with the KL term for VD), backward and the optimizer step, after 3 warm-up steps.
double[] Step(bool vd)
{
    using var model = Zoo.Create("resnet20", 1, layers: vd ? new VariationalDropoutLayers() : null, inputShape: [1, 28, 28], classes: 10);
    ChannelsLast.Apply(model);
    model.train();
    using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
    var time = new double[3];
    var clock = new Stopwatch();
    for (int s = 0; s < steps + 3; s++)
    {
        using var scope = NewDisposeScope();
        clock.Restart();
        var loss = nn.functional.cross_entropy(model.call(x), y);
        if (vd) loss = loss.add(VariationalDropout.KlOf(model).mul(1e-5));
        double forward = clock.Elapsed.TotalMilliseconds;
        optimizer.zero_grad();
        loss.backward();
        double backward = clock.Elapsed.TotalMilliseconds;
        optimizer.step();
        if (s < 3) continue;
        time[0] += forward;
        time[1] += backward - forward;
        time[2] += clock.Elapsed.TotalMilliseconds - backward;
    }
    return [.. time.Select(t => t / steps)];
}

double Milliseconds(Func<Tensor> draw)
{
    for (int i = 0; i < 2; i++) using (NewDisposeScope()) draw();
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < 10; i++) using (NewDisposeScope()) draw();
    return clock.Elapsed.TotalMilliseconds / 10;
}

// ResNet-20's first stage output on this input: 128 x 16 x 28 x 28, channels-last.
var activation = zeros(128, 16, 28, 28).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
var ratios = new List<double>();
var noiseRatios = new List<double>();
for (int r = 0; r < repeats; r++)
{
    var dense = Step(vd: false);
    var vd = Step(vd: true);
    Console.WriteLine($"dense: forward {dense[0]:F0} backward {dense[1]:F0} step {dense[2]:F0} = {dense.Sum():F0} ms; " +
        $"VD: forward {vd[0]:F0} backward {vd[1]:F0} step {vd[2]:F0} = {vd.Sum():F0} ms; VD/dense {vd.Sum() / dense.Sum():F2}");
    ratios.Add(vd.Sum() / dense.Sum());
    double old = Milliseconds(() => randn_like(activation)), fast = Milliseconds(() => LayoutNoise.NormalLike(activation));
    Console.WriteLine($"noise for 128x16x28x28 channels-last: randn_like {old:F1} ms, LayoutNoise.NormalLike {fast:F1} ms ({old / fast:F1}x)");
    noiseRatios.Add(old / fast);
}
Console.WriteLine($"VD/dense step time: {ratios.Average():F2} ({ratios.Min():F2}-{ratios.Max():F2}); noise randn_like/LayoutNoise: " +
    $"{noiseRatios.Average():F1}x ({noiseRatios.Min():F1}-{noiseRatios.Max():F1}), {repeats} repeats");
