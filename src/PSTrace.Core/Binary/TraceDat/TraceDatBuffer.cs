namespace PSTrace.Core.Binary.TraceDat;

/// <summary>Where one CPU's ring-buffer pages are in a trace.dat file.</summary>
public sealed class TraceDatCpuData
{
    public TraceDatCpuData(int cpu, long offset, long size)
    {
        Cpu = cpu;
        Offset = offset;
        Size = size;
    }

    public int Cpu { get; }

    /// <summary>File offset of the pages (of the chunk table, when the buffer is compressed).</summary>
    public long Offset { get; }

    /// <summary>Bytes in the file (compressed bytes, when the buffer is compressed).</summary>
    public long Size { get; }

    public override string ToString() => $"CPU {Cpu}: {Size} bytes at 0x{Offset:x}";
}

/// <summary>
/// One traced buffer in a trace.dat file: the top-level buffer (Name "") or an instance.
/// </summary>
public sealed class TraceDatBuffer
{
    public TraceDatBuffer(string name, string? clock, int pageSize, bool isCompressed, bool isLatency, IReadOnlyList<TraceDatCpuData> cpus)
    {
        Name = name;
        Clock = clock;
        PageSize = pageSize;
        IsCompressed = isCompressed;
        IsLatency = isLatency;
        Cpus = cpus;
    }

    /// <summary>"" for the top-level buffer, else the instance's name.</summary>
    public string Name { get; }

    /// <summary>The trace clock the timestamps are in (v7 records it per buffer).</summary>
    public string? Clock { get; }

    /// <summary>Bytes in one ring-buffer page of this buffer.</summary>
    public int PageSize { get; }

    /// <summary>The CPU data is in compressed chunks.</summary>
    public bool IsCompressed { get; }

    /// <summary>A latency tracer's text output rather than ring-buffer pages; not decoded.</summary>
    public bool IsLatency { get; }

    /// <summary>The CPUs that have data, in the order the file lists them.</summary>
    public IReadOnlyList<TraceDatCpuData> Cpus { get; }

    public bool IsTopLevel => Name.Length == 0;

    public override string ToString() => $"{(IsTopLevel ? "(top level)" : Name)}: {Cpus.Count} CPUs{(IsCompressed ? ", compressed" : "")}";
}
