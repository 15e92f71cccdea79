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
        // Microsoft.Data.Analysis's extension registers its DataFrame view too, maybe after this one (the kernel loads
        // the extensions of one restore in no set order; the latest registration wins). Registering again before the
        // first command that runs after loading makes SparsityKit's view the one shown.
        int registeredAgain = 0;
        kernel.AddMiddleware(async (command, context, next) =>
        {
            if (Interlocked.Exchange(ref registeredAgain, 1) == 0) Formatters.RegisterDataFrame();
            await next(command, context);
        });
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
