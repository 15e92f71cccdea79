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
