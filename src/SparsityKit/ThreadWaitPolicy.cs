using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparsityKit;

/// <summary>
/// Makes libtorch's OpenMP worker threads sleep instead of spin while they wait (<c>OMP_WAIT_POLICY=PASSIVE</c>) in
/// every process that loads SparsityKit: a notebook kernel, a file-based app, a test host. Spinning workers compete for
/// the cores with anything else running; on a busy 2-core machine they made small trainings 5-10 times slower.
/// </summary>
/// <remarks>
/// The OpenMP runtime (GNU libgomp, loaded with libtorch) reads the variable once, when it loads, through the C
/// library's <c>getenv</c>. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's
/// own copy on Linux and macOS, so the module initializer below calls the C library's <c>setenv</c> as soon as any
/// SparsityKit code runs, which is before SparsityKit touches TorchSharp. A value already set (ACTIVE included) is left
/// alone. If libgomp was loaded before SparsityKit (TorchSharp used first), it is too late: <see cref="State"/> says so and
/// a warning goes to standard error once.
/// </remarks>
public static class ThreadWaitPolicy
{
    /// <summary>The environment variable, read by the OpenMP runtime when it loads.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>What happened when SparsityKit loaded.</summary>
    public static ThreadWaitPolicyState State { get; private set; } = ThreadWaitPolicyState.NotApplicable;

#pragma warning disable CA2255 // a library's module initializer is the point: it must run before libtorch loads
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        try
        {
            State = ApplyToProcess();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            State = ThreadWaitPolicyState.NotApplicable;
        }
        if (State == ThreadWaitPolicyState.TooLate)
            Console.Error.WriteLine(
                $"SparsityKit: libtorch's OpenMP runtime was loaded before SparsityKit, with {Variable} unset, so its worker threads " +
                $"spin while they wait and slow training on a busy machine. Set {Variable}=PASSIVE before starting the process " +
                "(or use any SparsityKit type before TorchSharp).");
    }

    private static ThreadWaitPolicyState ApplyToProcess()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return ThreadWaitPolicyState.NotApplicable;
        var libc = NativeLibrary.Load(OperatingSystem.IsLinux() ? "libc.so.6" : "libc");
        var getenv = Marshal.GetDelegateForFunctionPointer<GetEnv>(NativeLibrary.GetExport(libc, "getenv"));
        if (getenv(Variable) != IntPtr.Zero) return ThreadWaitPolicyState.AlreadySet;
        if (OpenMpLoaded()) return ThreadWaitPolicyState.TooLate;
        var setenv = Marshal.GetDelegateForFunctionPointer<SetEnv>(NativeLibrary.GetExport(libc, "setenv"));
        if (setenv(Variable, "PASSIVE", 0) != 0) return ThreadWaitPolicyState.NotApplicable;
        // .NET's copy as well, for code that reads it and for child processes, which inherit .NET's copy.
        Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        return ThreadWaitPolicyState.SetPassive;
    }

    // Linux only: whether an OpenMP runtime is mapped into the process already.
    private static bool OpenMpLoaded() =>
        OperatingSystem.IsLinux() && File.ReadLines("/proc/self/maps").Any(line => line.Contains("libgomp", StringComparison.Ordinal));

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

/// <summary>What <see cref="ThreadWaitPolicy"/> did when SparsityKit loaded.</summary>
public enum ThreadWaitPolicyState
{
    /// <summary>Nothing to do on this platform (or the C library could not be reached).</summary>
    NotApplicable,

    /// <summary>The variable was set before the process loaded SparsityKit; left as it was.</summary>
    AlreadySet,

    /// <summary>SparsityKit set <c>OMP_WAIT_POLICY=PASSIVE</c> before libtorch loaded.</summary>
    SetPassive,

    /// <summary>libtorch's OpenMP runtime had loaded already with the variable unset; its threads spin.</summary>
    TooLate,
}
