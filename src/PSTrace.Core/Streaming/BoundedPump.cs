using System.Collections.Concurrent;

namespace PSTrace.Core.Streaming;

/// <summary>
/// Runs a producer (a blocking reader of the kernel) on its own thread into a bounded queue that the
/// consumer (the pipeline thread) drains. When the queue is full the producer waits, and the waits
/// are counted: back-pressure then reaches the kernel's buffer, which reports what it loses, so
/// nothing is dropped silently here. The producer's exception is rethrown to the consumer.
/// </summary>
public sealed class BoundedPump<T> : IDisposable
{
    private readonly BlockingCollection<T> _queue;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop;
    private Exception? _error;
    private long _waits;

    public BoundedPump(Func<CancellationToken, IEnumerable<T>> producer, int capacity, CancellationToken cancel)
    {
        _queue = new BlockingCollection<T>(capacity);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _thread = new Thread(() => Run(producer)) { IsBackground = true, Name = "PSTrace reader" };
        _thread.Start();
    }

    /// <summary>How often the producer found the queue full and had to wait for the consumer.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Takes the next item; false on timeout, or when the producer is done and the queue is empty (see IsCompleted).</summary>
    public bool TryTake(out T item, int timeoutMs)
    {
        bool got = _queue.TryTake(out item!, timeoutMs);
        if (!got && _queue.IsCompleted && _error is { } e)
        {
            _error = null;
            throw new InvalidOperationException("The trace reader failed: " + e.Message, e);
        }

        return got;
    }

    public bool IsCompleted => _queue.IsCompleted;

    /// <summary>True once the producer has ended (its items may still be queued).</summary>
    public bool ProducerDone => _queue.IsAddingCompleted;

    /// <summary>Items read by the producer and not yet taken.</summary>
    public int Pending => _queue.Count;

    /// <summary>Stops the producer and waits for its thread to end.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread.Join();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
        _queue.Dispose();
    }

    private void Run(Func<CancellationToken, IEnumerable<T>> producer)
    {
        try
        {
            foreach (T item in producer(_stop.Token))
            {
                if (!_queue.TryAdd(item))
                {
                    Interlocked.Increment(ref _waits);
                    _queue.Add(item, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // Kept for the consumer: an exception on this thread would otherwise end the process.
            _error = e;
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }
}
