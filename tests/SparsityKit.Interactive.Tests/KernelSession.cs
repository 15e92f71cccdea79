using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using SparsityKit.Training;

namespace SparsityKit.Interactive.Tests;

/// <summary>
/// An in-process C# kernel with SparsityKit referenced and its extension loaded, as a notebook has after
/// <c>#r "nuget: SparsityKit"</c>. Submits code and collects the events it raised.
/// </summary>
internal sealed class KernelSession : IDisposable
{
    private readonly CompositeKernel _kernel;

    /// <param name="afterExtensionLoaded">Runs between loading the extension and the first submission, as another
    /// package's extension loaded later would.</param>
    public KernelSession(Action? afterExtensionLoaded = null)
    {
        var csharp = new CSharpKernel();
        csharp.AddAssemblyReferences(new[]
        {
            typeof(Trainer).Assembly.Location,                  // SparsityKit
            typeof(SparsityKitKernelExtension).Assembly.Location,
            typeof(TorchSharp.torch).Assembly.Location,
            typeof(XPlot.Plotly.PlotlyChart).Assembly.Location,
            typeof(Microsoft.Data.Analysis.DataFrame).Assembly.Location,
            typeof(KernelSession).Assembly.Location,            // test helpers such as ManualTime
        });
        _kernel = new CompositeKernel { csharp };
        _kernel.DefaultKernelName = csharp.Name;
        new SparsityKitKernelExtension().OnLoadAsync(_kernel).GetAwaiter().GetResult();
        afterExtensionLoaded?.Invoke();
        Submit("""
            using SparsityKit.Analysis;
            using SparsityKit.Data;
            using SparsityKit.Interactive;
            using SparsityKit.Models;
            using SparsityKit.Training;
            using static TorchSharp.torch;
            """);
    }

    /// <summary>Runs <paramref name="code"/> and returns its events; fails the test if the submission failed.</summary>
    public IReadOnlyList<KernelEvent> Submit(string code)
    {
        var result = _kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.SubmitCode(code)).GetAwaiter().GetResult();
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, $"The submission failed: {failed?.Message}\n{failed?.Exception}\ncode:\n{code}");
        return result.Events;
    }

    /// <summary>The text/html values of the display and return-value events, in order.</summary>
    public static IReadOnlyList<string> Html(IEnumerable<KernelEvent> events) =>
        events.OfType<DisplayEvent>()
            .SelectMany(e => e.FormattedValues.Where(v => v.MimeType == "text/html").Select(v => v.Value))
            .ToList();

    public void Dispose() => _kernel.Dispose();
}
