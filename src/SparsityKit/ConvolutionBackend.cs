using System.Runtime.InteropServices;
using TorchSharp;

namespace SparsityKit;

/// <summary>
/// Which libtorch implementation runs CPU convolutions: oneDNN (libtorch's default, <c>torch.backends.mkldnn.enabled</c>
/// in PyTorch) or libtorch's own im2col-and-GEMM kernels. TorchSharp 0.107 has no switch for it, so this calls libtorch's
/// <c>at::globalContext().setUserEnabledMkldnn</c> directly.
/// </summary>
/// <remarks>
/// Why: libtorch 2.10's oneDNN float32 <c>conv2d</c> returns wrong values for some shapes on this project's AMD EPYC
/// (LeNet-5's conv2: differences of order 0.2 on outputs of order 1, against float64) and dies with SIGFPE in the backward
/// pass of stride-2 1x1 convolutions with 1,024 or more output channels. libtorch's own kernels agree with float64 there.
/// The switch is process-wide (like PyTorch's) and affects every thread; it does not change float64 convolutions' values.
/// </remarks>
public static class ConvolutionBackend
{
    /// <summary>
    /// Whether oneDNN (mkldnn) runs CPU convolutions (and the few other ops libtorch sends to it). Turning it off also
    /// turns off NNPACK, which libtorch would try next: on CPUs it does not support (this EPYC) it prints a warning on
    /// every convolution and falls back anyway.
    /// </summary>
    public static bool OneDnnEnabled
    {
        get => UserEnabledMkldnn(Context());
        set
        {
            var context = Context();
            SetUserEnabledMkldnn(context, value);
            if (!value) SetUserEnabledNnpack(context, false);
        }
    }

    /// <summary>What <see cref="ChooseCorrect"/> found in this process; null before it runs.</summary>
    public static bool? OneDnnFoundCorrect { get; private set; }

    private static readonly Lock Choosing = new();

    /// <summary>
    /// Once per process: runs LeNet-5's conv2 (20 to 50 channels, 5x5, the shape oneDNN gets wrong on this project's EPYC)
    /// forward and backward in float32 under oneDNN and compares it with float64; if they differ by more than 1e-4 of the
    /// largest value, turns oneDNN off for the rest of the process. Returns whether oneDNN is on afterwards.
    /// Call it before CPU inference; training chooses per model instead (<see cref="ForModel(torch.nn.Module{torch.Tensor, torch.Tensor}, torch.Tensor)"/>).
    /// </summary>
    public static bool ChooseCorrect()
    {
        lock (Choosing)
        {
            if (OneDnnEnabled)
            {
                OneDnnFoundCorrect ??= OneDnnAgreesWithFloat64();
                if (OneDnnFoundCorrect == false) OneDnnEnabled = false;
            }
            return OneDnnEnabled;
        }
    }

    /// <summary>Largest difference between float32 (current backend) and float64 convolution, forward and both gradients, relative to float64's largest value.</summary>
    internal static double Float32Error(long batch = 4, long inChannels = 20, long outChannels = 50, long kernel = 5, long side = 12)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(12345);
        var input64 = torch.randn([batch, inChannels, side, side], torch.float64, generator: generator);
        var weight64 = torch.randn([outChannels, inChannels, kernel, kernel], torch.float64, generator: generator) * 0.1;
        var upstream64 = torch.randn([batch, outChannels, side - kernel + 1, side - kernel + 1], torch.float64, generator: generator);
        var reference = Run(input64, weight64, upstream64);
        var single = Run(input64.to(torch.float32), weight64.to(torch.float32), upstream64.to(torch.float32));
        return WorstRelativeDifference(reference, single);

        static torch.Tensor[] Run(torch.Tensor input, torch.Tensor weight, torch.Tensor upstream)
        {
            var x = input.detach().requires_grad_();
            var w = weight.detach().requires_grad_();
            var y = torch.nn.functional.conv2d(x, w);
            y.backward([upstream]);
            return [y.detach(), x.grad!, w.grad!];
        }
    }

    // Per model (see ForModel): what the check found, by the model's signature, and how many sessions now need oneDNN off.
    private static readonly Dictionary<string, bool> ModelChecks = [];
    private static int _sessionsNeedingNative, _sessionsOnOneDnn;

    /// <summary>
    /// Chooses the backend for training <paramref name="model"/> on CPU: oneDNN when it computes this model's outputs and
    /// gradients on <paramref name="probe"/> as libtorch's own kernels do (to 1e-4 of the largest value), else libtorch's
    /// own. On this project's EPYC oneDNN is wrong for LeNet-5's 5x5 convolutions but right, and about six times faster,
    /// for ResNet-20's and Conv-4's 3x3 ones. The check runs once per process and model shape (in evaluation mode,
    /// through autograd.grad, so no weight, gradient or BatchNorm statistic changes), so a model always trains on the same
    /// backend on a given machine and its results stay bit-identical from run to run.
    /// Dispose the returned lease when the training ends: while a model that needs libtorch's kernels trains, no other
    /// session in the process turns oneDNN on (a session that could use it then runs on libtorch's kernels: correct,
    /// slower, and not bit-identical to the same run alone). A model with 1x1 convolutions of 1,024 or more output channels
    /// (ResNet-50) stays on libtorch's kernels unchecked: oneDNN's backward of such convolutions at stride 2 kills the
    /// process on that EPYC, which no check could survive.
    /// </summary>
    public static IDisposable ForModel(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor probe)
    {
        lock (Choosing)
        {
            if (_sessionsNeedingNative > 0 || HasWide1x1Convolution(model)) return Lease(oneDnnCorrect: false);
            string signature = Signature(model, probe);
            if (!ModelChecks.TryGetValue(signature, out bool correct))
                ModelChecks[signature] = correct = OneDnnAgreesWithNative(model, probe);
            return Lease(correct);
        }
    }

    /// <summary>
    /// <see cref="ForModel(torch.nn.Module{torch.Tensor, torch.Tensor}, torch.Tensor)"/> with four of <paramref name="data"/>'s
    /// training examples as the probe, for measuring a trained model on the backend its training chose (on libtorch's own
    /// kernels ResNet-20's 10,000 test images took over ten minutes); null when the data is not on the CPU.
    /// </summary>
    public static IDisposable? ForModel(torch.nn.Module<torch.Tensor, torch.Tensor> model, Data.IDataSource data)
    {
        if (data.Device.type != DeviceType.CPU) return null;
        using var scope = torch.NewDisposeScope();
        return ForModel(model, data.TrainingProbe(4).Inputs);
    }

    /// <summary>Sets the backend for a session whose model oneDNN computes correctly or not, and counts the latter until disposed.</summary>
    internal static IDisposable Lease(bool oneDnnCorrect)
    {
        lock (Choosing)
        {
            if (!oneDnnCorrect)
            {
                _sessionsNeedingNative++;
                OneDnnEnabled = false;
                return new Release(() => _sessionsNeedingNative--);
            }
            if (_sessionsNeedingNative > 0) return new Release(() => { });   // stays off: correct, if slower
            OneDnnEnabled = true;
            _sessionsOnOneDnn++;
            return new Release(EndOneDnnSession);
        }
    }

    // When the last session on oneDNN ends, code outside sessions (evaluation, inference in a notebook) gets the
    // process-wide choice again: oneDNN only if it passes ChooseCorrect's check (LeNet-5's conv2), as before any session.
    private static void EndOneDnnSession()
    {
        if (--_sessionsOnOneDnn > 0 || _sessionsNeedingNative > 0) return;
        // The check measures whatever backend is on: only with oneDNN on does it say anything about oneDNN (a session
        // that needed libtorch's kernels may have turned it off meanwhile; then it stays off).
        if (OneDnnFoundCorrect is null && OneDnnEnabled) OneDnnFoundCorrect = OneDnnAgreesWithFloat64();
        OneDnnEnabled = OneDnnFoundCorrect == true;
    }

    /// <summary>A session's hold on the backend: runs its release once, under the lock, however often it is disposed.</summary>
    private sealed class Release(Action release) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            lock (Choosing)
            {
                if (_done) return;
                _done = true;
                release();
            }
        }
    }

    // oneDNN's backward of stride-2 1x1 convolutions with 1,024 or more output channels kills the process with SIGFPE on
    // this project's EPYC (see the remarks), which no check can catch: such models (ResNet-50's downsampling) are not tried.
    private static bool HasWide1x1Convolution(torch.nn.Module<torch.Tensor, torch.Tensor> model) =>
        model.parameters().Any(p => p.dim() == 4 && p.shape[0] >= 1_024 && p.shape[2] == 1 && p.shape[3] == 1);

    private static string Signature(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor probe) =>
        $"{model.GetType().FullName} [{string.Join(",", probe.shape.Skip(1))}] " +
        string.Join(";", model.named_parameters().Select(p => $"{p.name}:{string.Join("x", p.parameter.shape)}"));

    /// <summary>Largest difference, forward and every parameter's gradient, between oneDNN and libtorch's own kernels, relative to the latter's largest value.</summary>
    internal static double OneDnnErrorFor(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor probe)
    {
        bool wasTraining = model.training, before = OneDnnEnabled;
        using var scope = torch.NewDisposeScope();
        model.eval();
        try
        {
            var parameters = model.parameters().Where(p => p.requires_grad).Select(p => (torch.Tensor)p).ToList();
            var native = Outputs(false);
            return WorstRelativeDifference(native, Outputs(true));

            List<torch.Tensor> Outputs(bool useOneDnn)
            {
                OneDnnEnabled = useOneDnn;
                var output = model.call(probe.detach());
                if (parameters.Count == 0) return [output.detach().to(torch.float64)];
                using var generator = new torch.Generator(12345, output.device);
                var upstream = torch.randn(output.shape, output.dtype, output.device, generator: generator);
                var grads = torch.autograd.grad([output], parameters, [upstream], allow_unused: true);
                return [output.detach().to(torch.float64), .. grads.Where(g => g is not null && g.IsInvalid == false).Select(g => g.to(torch.float64))];
            }
        }
        finally
        {
            OneDnnEnabled = before;
            if (wasTraining) model.train();
        }
    }

    // Largest difference over the tensors, each relative to the reference's largest value, in float64. Math.Max keeps a
    // NaN, so NaN outputs come back as NaN.
    private static double WorstRelativeDifference(IReadOnlyList<torch.Tensor> reference, IReadOnlyList<torch.Tensor> other)
    {
        double worst = 0;
        for (int i = 0; i < reference.Count; i++)
        {
            var expected = reference[i].to(torch.float64);
            double largest = expected.abs().max().item<double>();
            worst = Math.Max(worst, (other[i].to(torch.float64) - expected).abs().max().item<double>() / Math.Max(largest, 1e-30));
        }
        return worst;
    }

    private static bool OneDnnAgreesWithNative(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor probe) =>
        OneDnnErrorFor(model, probe) <= 1e-4;   // NaN fails too

    private static bool OneDnnAgreesWithFloat64()
    {
        double error = Float32Error();
        return error <= 1e-4;   // NaN fails too
    }

    private static IntPtr Context()
    {
        torch.InitializeDeviceType(DeviceType.CPU);   // loads libtorch, whose symbols are resolved below
        return GlobalContext();
    }

    // Itanium C++ ABI: at::globalContext() returns at::Context&; member functions take the object as the first argument.
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}
