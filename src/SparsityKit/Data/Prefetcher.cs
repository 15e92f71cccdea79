using System.Collections.Concurrent;

namespace SparsityKit.Data;

/// <summary>
/// Decodes batches ahead of their use on a background thread into a bounded queue, in the order given, so that training
/// waits on decoding only when decoding is slower. An error while decoding reaches the consumer at the batch it hit.
/// </summary>
internal sealed class Prefetcher : IDisposable
{
    private readonly BlockingCollection<(DecodedBatch? Batch, Exception? Error)> _queue;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Thread _thread;

    public Prefetcher(IEnumerable<int[]> batches, Func<int[], DecodedBatch> decode, int capacity)
    {
        _queue = new(boundedCapacity: capacity);
        _thread = new Thread(() =>
        {
            try
            {
                foreach (var batch in batches)
                {
                    _cancel.Token.ThrowIfCancellationRequested();
                    _queue.Add((decode(batch), null), _cancel.Token);
                }
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested) { }
            catch (Exception e)
            {
                try { _queue.Add((null, e), _cancel.Token); } catch (OperationCanceledException) { }
            }
            finally { _queue.CompleteAdding(); }
        }) { IsBackground = true, Name = "SparsityKit prefetch" };
        _thread.Start();
    }

    /// <summary>The next decoded batch, or null when the batches are done.</summary>
    public DecodedBatch? Take()
    {
        if (!_queue.TryTake(out var item, Timeout.Infinite)) return null;
        if (item.Error is { } error)
            throw error is InvalidDataException ? new InvalidDataException(error.Message, error) : new InvalidOperationException($"Decoding a batch failed: {error.Message}", error);
        return item.Batch;
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _thread.Join();
        _queue.Dispose();
        _cancel.Dispose();
    }
}

/// <summary>Decoded inputs ([count, 3, size, size] floats, row-major) and their labels.</summary>
internal sealed record DecodedBatch(float[] Pixels, long[] Labels);
