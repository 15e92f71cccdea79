using Microsoft.DotNet.Interactive;
using SparsityKit.Training;

namespace SparsityKit.Interactive;

/// <summary>
/// Loaded by .NET Interactive when a notebook adds the SparsityKit package (it sits under
/// <c>interactive-extensions/dotnet</c>): HTML views for runs, histories, mask sets, sparsity reports, run records, lottery results and charts, and a live progress bar as the
/// default progress of <see cref="Trainer.Train"/>.
/// </summary>
public sealed class SparsityKitKernelExtension : IKernelExtension
{
    public Task OnLoadAsync(Kernel kernel)
    {
        Load();
        return Task.CompletedTask;
    }

    /// <summary>What loading the extension does, callable without a kernel (tests, hosts that skip extensions).</summary>
    public static void Load()
    {
        Formatters.Register();
        NotebookCharts.EmbedPlotlyNextTime();
        Trainer.DefaultProgress = () => new NotebookProgress();
    }
}
