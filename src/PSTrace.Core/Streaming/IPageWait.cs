namespace PSTrace.Core.Streaming;

/// <summary>How the merge waits when no CPU has a record it may hand out yet.</summary>
internal interface IPageWait
{
    /// <summary>Returns when there may be news (a page, an empty read, an end), or after <paramref name="milliseconds"/>.</summary>
    void Wait(int milliseconds);

    /// <summary>
    /// A CPU was found empty before the page of the record waiting to go out was read: returns when it
    /// may have been read again (at once when the merge's next look reads it itself).
    /// </summary>
    void WaitForCatchUp(int milliseconds);
}

/// <summary>Waits for feeds filled on other threads, which set the signal whenever they have news.</summary>
internal sealed class SignalPageWait(ManualResetEventSlim signal) : IPageWait
{
    public void Wait(int milliseconds)
    {
        signal.Wait(milliseconds);

        // Reset before the merge looks again: news that arrives while it looks sets the signal anew.
        signal.Reset();
    }

    public void WaitForCatchUp(int milliseconds) => Wait(milliseconds);
}
