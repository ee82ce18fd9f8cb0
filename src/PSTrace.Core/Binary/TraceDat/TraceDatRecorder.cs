using System.Collections.Concurrent;
using System.Globalization;

namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// Keeps the ring-buffer pages of a live capture, each CPU's in a file of its own beside the
/// destination while the capture runs, and at the end writes them with the trace's metadata as one
/// trace.dat file (version 6) that trace-cmd report and KernelShark open. The file holds every event
/// read, lost-event marks included; given the page layout, the partly filled pages of a reader that
/// keeps up are packed together (<see cref="PagePacker"/>), otherwise pages are kept as they came.
/// </summary>
public sealed class TraceDatRecorder : IDisposable
{
    private readonly ConcurrentDictionary<int, FileStream> _cpus = new();
    private readonly ConcurrentDictionary<int, PagePacker> _packers = new();
    private readonly RingBufferLayout? _packLayout;
    private long _pages;
    private bool _completed;

    /// <param name="path">The trace.dat file to write; it is created (or replaced) by <see cref="Complete"/>.</param>
    /// <param name="packLayout">The pages' layout, to pack partly filled pages; null keeps every page as it came.</param>
    public TraceDatRecorder(string path, RingBufferLayout? packLayout = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        _packLayout = PagePacker.Supported ? packLayout : null;
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { } dir && !Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"No directory '{dir}' to write {System.IO.Path.GetFileName(Path)} in.");
        }
    }

    public string Path { get; }

    /// <summary>Pages kept so far.</summary>
    public long Pages => Interlocked.Read(ref _pages);

    /// <summary>Keeps one page (the whole array) of a CPU; called from that CPU's reader thread (one thread per CPU).</summary>
    public void AddPage(int cpu, byte[] page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (_packLayout is null)
        {
            WritePage(cpu, page);
            return;
        }

        _packers.GetOrAdd(cpu, c => new PagePacker(_packLayout, packed => WritePage(c, packed))).Add(page);
    }

    private void WritePage(int cpu, byte[] page)
    {
        FileStream f = _cpus.GetOrAdd(cpu, c => new FileStream(TempPath(c), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16));
        f.Write(page);
        Interlocked.Increment(ref _pages);
    }

    /// <summary>Writes the pages the packers still hold; once the readers have stopped.</summary>
    private void FlushPackers()
    {
        foreach (PagePacker packer in _packers.Values)
        {
            packer.Flush();
        }
    }

    /// <summary>
    /// Cuts every CPU's pages after the last record at or before <paramref name="keepThrough"/> (a raw ring-buffer
    /// timestamp): pages that start later go, the page that straddles it is cut (<see cref="PageTrimmer"/>).
    /// </summary>
    /// <returns>The pages dropped or cut.</returns>
    public int KeepThrough(ulong keepThrough, RingBufferLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        FlushPackers();
        bool big = !BitConverter.IsLittleEndian;
        byte[] page = new byte[layout.PageSize];
        int changed = 0;
        foreach (FileStream f in _cpus.Values)
        {
            f.Flush();
            // A CPU's pages are in time order: walk back from the last while they start after the end.
            for (long i = f.Length / layout.PageSize - 1; i >= 0; i--)
            {
                f.Position = i * layout.PageSize;
                f.ReadExactly(page);
                PageTrimmer.Outcome outcome = PageTrimmer.Trim(page, layout, big, keepThrough);
                if (outcome == PageTrimmer.Outcome.Kept)
                {
                    break;
                }

                changed++;
                f.SetLength(i * layout.PageSize);
                Interlocked.Decrement(ref _pages);
                if (outcome == PageTrimmer.Outcome.Cut)
                {
                    f.Position = i * layout.PageSize;
                    f.Write(page);
                    Interlocked.Increment(ref _pages);
                    break;
                }
            }

            f.Position = f.Length;
        }

        return changed;
    }

    /// <summary>Writes the trace.dat file from the pages kept and <paramref name="contents"/>, then removes the page files.</summary>
    public void Complete(TraceDatContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        FlushPackers();
        string partial = Path + ".partial";
        using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (FileStream f in _cpus.Values)
            {
                f.Flush();
            }

            TraceDatWriter.WriteV6(output, contents, _cpus.ToDictionary(kv => kv.Key, kv => (Stream)kv.Value));
        }

        File.Move(partial, Path, overwrite: true);
        _completed = true;
        Dispose();
    }

    private string TempPath(int cpu) => Path + string.Create(CultureInfo.InvariantCulture, $".cpu{cpu}.pages");

    /// <summary>Removes the page files (a capture never completed leaves no trace.dat).</summary>
    public void Dispose()
    {
        foreach ((int cpu, FileStream f) in _cpus)
        {
            f.Dispose();
            File.Delete(TempPath(cpu));
        }

        _cpus.Clear();
        if (!_completed)
        {
            File.Delete(Path + ".partial");
        }
    }
}
