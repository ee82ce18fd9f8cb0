using PSTrace.Core.Native;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Bpf;

/// <summary>
/// One of the module's BPF programs loaded into the kernel and attached: its object (maps and programs) and
/// the links of its programs. Everything lives in descriptors of this process, so the kernel removes it all
/// when the process ends, even by kill -9; Dispose removes it at once.
/// </summary>
public sealed class BpfObject : IDisposable
{
    private readonly SafeBpfObject _object;
    private readonly List<SafeBpfLink> _links = new();

    private BpfObject(string path, SafeBpfObject obj)
    {
        Path = path;
        _object = obj;
    }

    /// <summary>The compiled file that was loaded.</summary>
    public string Path { get; }

    /// <summary>The names of the attached programs, for -Verbose.</summary>
    public IReadOnlyList<string> Programs => _programs;

    private readonly List<string> _programs = new();

    /// <summary>Loads the module's program <paramref name="name"/> and attaches <paramref name="programs"/>; on failure nothing stays loaded.</summary>
    /// <param name="configure">Writes the program's settings into its maps after the load and before the attach, so no event is seen unfiltered.</param>
    /// <exception cref="TraceException">BPF is not available (BpfNotSupported), or the kernel refused the program (BpfLoadFailed, with libbpf's messages).</exception>
    /// <param name="notLoaded">Programs of the object that this use leaves out (neither loaded nor attached).</param>
    public static BpfObject Load(string name, IEnumerable<string> programs, Action<BpfObject>? configure = null, IEnumerable<string>? notLoaded = null)
    {
        ArgumentNullException.ThrowIfNull(programs);
        BpfCapability.Machine.Require();
        string path = BpfProgramFiles.Find(name)!;
        var said = new List<string>();
        try
        {
            return LibBpfLog.Capture(() => LoadAttached(path, programs, configure, notLoaded ?? []), said);
        }
        catch (NativeException e)
        {
            throw Failed(path, e, said);
        }
        catch (DllNotFoundException e)
        {
            throw new TraceException(TraceErrorKind.NotSupported, "BpfNotSupported", $"BPF is not available: {LibBpf.LibraryName} could not be loaded ({e.Message}).",
                BpfCapability.LibraryFix, BpfCapability.FeatureName, e);
        }
    }

    /// <summary>The descriptor of one of the object's maps (owned by the object).</summary>
    public int MapFd(string map) => LibBpf.MapFd(LibBpf.ObjectFindMapByName(_object, map, Path), map);

    public void Dispose()
    {
        // Links first: no program runs against maps that are going.
        foreach (SafeBpfLink link in _links)
        {
            link.Dispose();
        }

        _links.Clear();
        _object.Dispose();
    }

    /// <summary>Sets <paramref name="key"/> of the object's map <paramref name="map"/> to <paramref name="value"/>.</summary>
    public void SetMapValue(string map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => LibBpf.MapUpdateElem(MapFd(map), key, value, map);

    private static BpfObject LoadAttached(string path, IEnumerable<string> programs, Action<BpfObject>? configure, IEnumerable<string> notLoaded)
    {
        var loaded = new BpfObject(path, LibBpf.ObjectOpenFile(path));
        try
        {
            foreach (string program in notLoaded)
            {
                LibBpf.ProgramSetAutoload(LibBpf.ObjectFindProgramByName(loaded._object, program, path), false, program);
            }

            LibBpf.ObjectLoad(loaded._object, path);
            configure?.Invoke(loaded);
            foreach (string program in programs)
            {
                loaded._links.Add(LibBpf.ProgramAttach(LibBpf.ObjectFindProgramByName(loaded._object, program, path), program));
                loaded._programs.Add(program);
            }

            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>A refused load with what libbpf said about it (the verifier's log, a missing tracepoint).</summary>
    private static TraceException Failed(string path, NativeException e, List<string> said)
    {
        string detail = said.Count == 0 ? "" : " libbpf said: " + string.Join(" | ", said.TakeLast(12));
        return new TraceException(TraceErrorKind.KernelRejected, "BpfLoadFailed", $"PSTrace's BPF program {System.IO.Path.GetFileName(path)} could not be loaded: {e.Message}.{detail}",
            "Use the tracefs backend (-Backend Tracefs); Get-TraceCapability Bpf shows what BPF needs.", path, e);
    }
}
