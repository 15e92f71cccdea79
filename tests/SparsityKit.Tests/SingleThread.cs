using TorchSharp;

namespace SparsityKit.Tests;

/// <summary>
/// Runs TorchSharp on one thread until disposed, then restores the previous count: small models gain nothing from
/// threads, and on a shared 2-core machine a second thread makes many-step tests several times slower.
/// </summary>
internal sealed class SingleThread : IDisposable
{
    private readonly int _previous = torch.get_num_threads();

    public SingleThread() => torch.set_num_threads(1);

    public void Dispose() => torch.set_num_threads(_previous);
}
