using System.Reflection;
using Microsoft.DotNet.Interactive;

namespace SparsityKit.Interactive;

/// <summary>
/// One output of the current cell that can be replaced in place. It is published with
/// <c>KernelInvocationContextExtensions.Display(context, …)</c>, whose <c>DisplayedValue</c> keeps the id it published:
/// in the 1.0.0-beta.26120.1 kernel, <c>display(x).Update(y)</c> returns a value with a different id, so frontends
/// append instead of replace.
/// </summary>
/// <remarks>
/// Bound by reflection, not compiled against: <c>DisplayedValue</c> moved from Microsoft.DotNet.Interactive to
/// Microsoft.DotNet.Interactive.Formatting in mid-2025, so a direct call compiled against one kernel build throws
/// MissingMethodException in the other (dotnet-repl 0.3.259 bundles the older one). The method is looked up by name
/// and parameter types, which are the same in both.
/// </remarks>
internal sealed class LiveDisplay
{
    private static readonly MethodInfo DisplayMethod =
        typeof(KernelInvocationContextExtensions).GetMethod("Display", [typeof(KernelInvocationContext), typeof(object), typeof(string[])])
        ?? throw new MissingMethodException(typeof(KernelInvocationContextExtensions).FullName, "Display(KernelInvocationContext, object, string[])");

    private readonly object _displayed;
    private readonly MethodInfo _update;

    private LiveDisplay(object displayed)
    {
        _displayed = displayed;
        _update = displayed.GetType().GetMethod("Update", [typeof(object)])
            ?? throw new MissingMethodException(displayed.GetType().FullName, "Update(object)");
        DisplayId = displayed.GetType().GetProperty("DisplayId")?.GetValue(displayed) as string ?? "";
    }

    /// <summary>The id the kernel published the output under; every update carries it.</summary>
    public string DisplayId { get; }

    /// <summary>Publishes <paramref name="value"/> as a new output of the cell that <paramref name="context"/> runs.</summary>
    public static LiveDisplay Show(KernelInvocationContext context, object value, params string[] mimeTypes) =>
        new(DisplayMethod.Invoke(null, [context, value, mimeTypes])
            ?? throw new InvalidOperationException("KernelInvocationContextExtensions.Display returned null."));

    /// <summary>Replaces the output with <paramref name="value"/>, formatted with the same MIME types as before.</summary>
    public void Update(object value)
    {
        try { _update.Invoke(_displayed, [value]); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }
}
