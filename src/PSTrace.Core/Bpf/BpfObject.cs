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
    /// <param name="prepare">
    /// Runs once the object is loaded, before any program is attached: writes the maps the programs read first (settings,
    /// the processes to keep), and may attach programs of its own (<see cref="AttachTracepoint"/>).
    /// </param>
    /// <param name="constants">
    /// The program's settings, fixed before the verifier sees it: the whole of its .rodata (its <c>const volatile</c>
    /// globals, in their order), or null to keep the compiled values. A size other than the section's is refused.
    /// </param>
    /// <param name="notLoaded">Programs of the object that this use leaves out (neither loaded nor attached).</param>
    /// <exception cref="TraceException">BPF is not available (BpfNotSupported), or the kernel refused the program (BpfLoadFailed, with libbpf's messages).</exception>
    public static BpfObject Load(string name, IEnumerable<string> programs, Action<BpfObject>? prepare = null, byte[]? constants = null, IEnumerable<string>? notLoaded = null)
    {
        ArgumentNullException.ThrowIfNull(programs);
        BpfCapability.Machine.Require();
        string path = BpfProgramFiles.Find(name)!;
        var said = new List<string>();
        try
        {
            return LibBpfLog.Capture(() => LoadAttached(path, programs, prepare, constants, notLoaded ?? []), said);
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

    /// <summary>
    /// Attaches the perf_event program <paramref name="program"/> to an open perf event, whose descriptor the link
    /// then owns (it is closed with the link, at Dispose).
    /// </summary>
    /// <exception cref="TraceException">The kernel refused (BpfLoadFailed).</exception>
    internal void AttachPerfEvent(string program, SafeFileDescriptor perfEvent)
    {
        try
        {
            _links.Add(LibBpf.ProgramAttachPerfEvent(LibBpf.ObjectFindProgramByName(_object, program, Path), perfEvent, program));
        }
        catch (NativeException e)
        {
            throw Failed(Path, e, []);
        }

        if (!_programs.Contains(program, StringComparer.Ordinal))
        {
            _programs.Add(program);
        }
    }

    /// <summary>Detaches every program and keeps the maps, to be read after the programs have stopped adding to them.</summary>
    public void Detach()
    {
        DestroyLinks(_links);

        _links.Clear();
    }

    public void Dispose()
    {
        // Links first: no program runs against maps that are going.
        Detach();
        _object.Dispose();
    }

    /// <summary>Sets one entry of one of the object's maps (before its programs run, or while they do).</summary>
    public void WriteMap(string map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => LibBpf.MapUpdateElem(MapFd(map), key, value, map);

    /// <summary>
    /// Attaches the object's <paramref name="program"/> (SEC("tracepoint"), no place of its own) to <paramref name="system"/>:<paramref name="name"/>,
    /// with <paramref name="cookie"/> for the program's bpf_get_attach_cookie: one program serves many tracepoints and knows which ran it.
    /// </summary>
    public void AttachTracepoint(string program, string system, string name, ulong cookie)
    {
        _links.Add(LibBpf.ProgramAttachTracepoint(LibBpf.ObjectFindProgramByName(_object, program, Path), system, name, cookie));
        if (!_programs.Contains(program, StringComparer.Ordinal))
        {
            _programs.Add(program);
        }
    }

    /// <summary>Links per thread when many are destroyed at once.</summary>
    private const int LinksPerThread = 8;

    /// <summary>
    /// Destroys links; many (a tracepoint each) on several threads at once: each detach waits for an RCU grace period
    /// (tens of milliseconds), so 350 of them one after another would take many seconds, while concurrent waits share periods.
    /// </summary>
    private static void DestroyLinks(List<SafeBpfLink> links)
    {
        if (links.Count <= LinksPerThread)
        {
            links.ForEach(link => link.Dispose());
            return;
        }

        var threads = links.Chunk(LinksPerThread)
            .Select(chunk => new Thread(() => Array.ForEach(chunk, link => link.Dispose())) { IsBackground = true, Name = "pstrace bpf detach" })
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    private static BpfObject LoadAttached(string path, IEnumerable<string> programs, Action<BpfObject>? prepare, byte[]? constants, IEnumerable<string> notLoaded)
    {
        var loaded = new BpfObject(path, LibBpf.ObjectOpenFile(path));
        try
        {
            foreach (string program in notLoaded)
            {
                LibBpf.ProgramSetAutoload(LibBpf.ObjectFindProgramByName(loaded._object, program, path), false, program);
            }

            if (constants is not null)
            {
                // libbpf finds a global data map by its section's name.
                LibBpf.MapSetInitialValue(LibBpf.ObjectFindMapByName(loaded._object, ".rodata", path), constants, path + ": .rodata");
            }

            LibBpf.ObjectLoad(loaded._object, path);
            prepare?.Invoke(loaded);
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
