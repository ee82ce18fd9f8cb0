using System.Globalization;
using PSTrace.Core.Processes;
using PSTrace.Core.Records;

namespace PSTrace.Core.Profiling;

/// <summary>
/// Names user-space addresses of the processes a profile saw. Each process's mappings (/proc/PID/maps) are read while
/// it lives (<see cref="Remember"/>, called as its pid appears in the counts, since many processes end before the
/// profile does) and again when its program changes (an exec); an address is looked for in its newest reading first.
/// The files' symbols are read once each, at the end.
/// </summary>
public sealed class UserSymbolizer
{
    private readonly Dictionary<int, List<(string? Program, MappedFile[] Maps)>> _maps = new();
    private readonly Dictionary<(int, ulong), StackFrame> _frames = new();
    private readonly Dictionary<string, ElfFunctions?> _files = new(StringComparer.Ordinal);
    private readonly Func<int, string?> _program;
    private readonly Func<int, IReadOnlyList<MappedFile>?> _readMaps;

    public UserSymbolizer()
        : this(ProgramOf, TryReadMaps)
    {
    }

    /// <param name="program">The program a process runs now (/proc/PID/exe), to see an exec; null when it is gone.</param>
    /// <param name="readMaps">The process's file mappings now; null when it is gone.</param>
    internal UserSymbolizer(Func<int, string?> program, Func<int, IReadOnlyList<MappedFile>?> readMaps)
    {
        _program = program;
        _readMaps = readMaps;
    }

    /// <summary>Processes whose mappings have been read.</summary>
    public int Processes => _maps.Count;

    /// <summary>Reads the mappings of <paramref name="processId"/> if not yet read, or if it runs another program since; false when it is gone.</summary>
    public bool Remember(int processId, bool again = false)
    {
        string? program = _program(processId);
        // Gone (or a kernel thread, which has no program): what was read stays.
        if (_maps.TryGetValue(processId, out var readings) && (program is null || (readings[^1].Program == program && !again)))
        {
            return true;
        }

        if (_readMaps(processId) is not { } maps)
        {
            return false;
        }

        if (readings is null)
        {
            _maps[processId] = readings = new();
        }

        readings.Add((program, maps.OrderBy(m => m.Start).ToArray()));
        return true;
    }

    /// <summary>Reads the mappings of every remembered process still alive once more (libraries loaded late).</summary>
    public void RefreshLiving()
    {
        foreach (int pid in _maps.Keys.ToList())
        {
            Remember(pid, again: true);
        }
    }

    /// <summary>The frame of a user address in a process: function, else file and offset, else the address alone.</summary>
    public StackFrame Frame(int processId, ulong address)
    {
        if (!_frames.TryGetValue((processId, address), out StackFrame? frame))
        {
            frame = Name(processId, address);
            _frames[(processId, address)] = frame;
        }

        return frame;
    }

    private StackFrame Name(int processId, ulong address)
    {
        if (_maps.TryGetValue(processId, out var readings))
        {
            for (int i = readings.Count - 1; i >= 0; i--)
            {
                if (Mapping(readings[i].Maps, address) is { } m)
                {
                    ulong offset = address - m.Start + m.FileOffset;
                    string? function = Functions(m.Path)?.FunctionAt(offset);
                    return new StackFrame(address, false, function, Path.GetFileName(m.Path), offset);
                }
            }
        }

        return new StackFrame(address, false, null, null, null);
    }

    /// <summary>The mapping that holds the address: the last one starting at or below it, if it reaches that far.</summary>
    private static MappedFile? Mapping(MappedFile[] byStart, ulong address)
    {
        int low = 0, high = byStart.Length - 1, found = -1;
        while (low <= high)
        {
            int mid = (low + high) / 2;
            if (byStart[mid].Start <= address)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found >= 0 && address < byStart[found].End ? byStart[found] : null;
    }

    private ElfFunctions? Functions(string path)
    {
        if (!_files.TryGetValue(path, out ElfFunctions? functions))
        {
            functions = ElfFunctions.TryLoad(path);
            _files[path] = functions;
        }

        return functions;
    }

    private static string? ProgramOf(int processId)
    {
        try
        {
            return new FileInfo("/proc/" + processId.ToString(CultureInfo.InvariantCulture) + "/exe").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IReadOnlyList<MappedFile>? TryReadMaps(int processId)
    {
        try
        {
            return ProcessMaps.Read(processId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
