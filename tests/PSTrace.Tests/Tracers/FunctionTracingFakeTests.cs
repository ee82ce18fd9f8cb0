using PSTrace.Core.Tracefs;
using PSTrace.Core.Tracers;

namespace PSTrace.Tests.Tracers;

/// <summary>
/// Setting up and putting back a function_graph trace where the kernel runs it only at the top level
/// (as 6.1 does), against a directory standing in for tracefs: what is written where, and that every
/// file outside the session's instance reads as before once the session ends, also when setup fails.
/// </summary>
public sealed class FunctionTracingFakeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pstrace-fake-fg-").FullName;
    private readonly string _state = Directory.CreateTempSubdirectory("pstrace-fake-fg-state-").FullName;

    public FunctionTracingFakeTests()
    {
        // What 6.1 shows at the top level (an instance there lists only "function nop"; ours stays empty).
        Put("available_tracers", "blk mmiotrace function_graph function nop");
        Put("current_tracer", "nop");
        Put("set_event", "");
        Put("tracing_on", "1");
        Put("set_graph_function", "#### all functions enabled ####");
        Put("set_graph_notrace", "#### no functions disabled ####");
        Put("set_ftrace_pid", "no pid");
        Put("max_graph_depth", "0");
        foreach (string option in new[] { "funcgraph-proc", "funcgraph-abstime", "funcgraph-tail", "function-fork" })
        {
            Put("options/" + option, "0");
        }

        Directory.CreateDirectory(Path.Combine(_root, "instances"));
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_state, recursive: true);
    }

    private Core.Tracefs.Tracefs Fs => Core.Tracefs.Tracefs.At(_root, _state);

    [Fact]
    public void TopLevelGraph_WritesTheSettings_ThenPutsEverythingBack()
    {
        var before = Snapshot();
        var options = new FunctionTracingOptions(FunctionTracingOptions.GraphTracer, ["vfs_read", "vfs_write"], ["schedule"], [151, 152], followForks: true, maxDepth: 3);
        using (FunctionTracing tracing = FunctionTracing.Start(Fs, options))
        {
            Assert.True(tracing.UsesTopLevel);
            Assert.Equal(2, tracing.MatchedFunctions);
            Assert.Equal("vfs_read\nvfs_write\n", Read("set_graph_function")); // one write per name
            Assert.Equal("schedule\n", Read("set_graph_notrace"));
            Assert.Equal("151\n152\n", Read("set_ftrace_pid"));
            Assert.Equal("3\n", Read("max_graph_depth"));
            Assert.Equal("1\n", Read("options/funcgraph-proc"));
            Assert.Equal("1\n", Read("options/function-fork"));
            Assert.Equal("function_graph\n", Read("current_tracer"));
            Assert.Equal("0\n", Read("tracing_on")); // ready, not yet recording

            tracing.TracingOn(true);
            Assert.Equal("1\n", Read("tracing_on"));
            Assert.Contains(tracing.SessionName, Directory.EnumerateDirectories(Path.Combine(_root, "instances")).Select(Path.GetFileName));
        }

        Assert.Equal(Normalized(before), Normalized(Snapshot()));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_root, "instances")));
    }

    [Fact]
    public void AfterAKill_TheReaperPutsBackWhatTheSessionKeptOnDisk()
    {
        Put("set_graph_function", "p9_client_rpc [9pnet]\nvfs_write");
        var before = Snapshot();
        var options = new FunctionTracingOptions(FunctionTracingOptions.GraphTracer, ["vfs_read"], ["schedule"], [151], followForks: true, maxDepth: 3);
        SortedDictionary<string, string> during;
        string kept;
        using (FunctionTracing tracing = FunctionTracing.Start(Fs, options))
        {
            tracing.TracingOn(true);
            during = Snapshot();
            kept = File.ReadAllText(SettingsBackup.PathFor(Fs, tracing.SessionName));
        }

        // A session that ends deletes its copy; the record of this process as a session owner stays while it runs.
        Assert.Equal([SessionOwner.PathFor(Fs, Environment.ProcessId)], Directory.EnumerateFiles(_state));

        // What a kill -9 leaves: the settings as they were while tracing, the copy of a process that is gone.
        foreach ((string file, string text) in during.Where(f => !f.Key.StartsWith("instances", StringComparison.Ordinal)))
        {
            File.WriteAllText(Path.Combine(_root, file), text);
        }

        int gone = ExitedProcessId();
        File.WriteAllText(Path.Combine(_state, $"pstrace-{gone}-1.settings"), kept);
        OrphanedObject orphan = Assert.Single(SessionReaper.FindOrphans(Fs));
        Assert.Equal(OrphanKind.Settings, orphan.Kind);
        Assert.Equal(gone, orphan.OwnerProcessId);

        Assert.Empty(SessionReaper.Reap(Fs, [orphan]));
        // A list goes back in one write, which the kernel would list a line per name (as the session's own undo does).
        Assert.Equal("p9_client_rpc vfs_write\n", Read("set_graph_function"));
        before.Remove("set_graph_function");
        SortedDictionary<string, string> after = Snapshot();
        after.Remove("set_graph_function");
        Assert.Equal(Normalized(before), Normalized(after));
        Assert.Equal([SessionOwner.PathFor(Fs, Environment.ProcessId)], Directory.EnumerateFiles(_state)); // the copy is gone
    }

    [Fact]
    public void OldListsComeBack()
    {
        Put("set_graph_function", "p9_client_rpc [9pnet]\nvfs_write");
        Put("set_ftrace_pid", "77");
        var options = new FunctionTracingOptions(FunctionTracingOptions.GraphTracer, ["vfs_read"], [], [], followForks: false, maxDepth: null);
        using (FunctionTracing.Start(Fs, options))
        {
            Assert.Equal("vfs_read\n", Read("set_graph_function"));
            Assert.Equal("\n", Read("set_ftrace_pid")); // every task
        }

        Assert.Equal("p9_client_rpc vfs_write\n", Read("set_graph_function")); // the module tag is not part of the name
        Assert.Equal("77\n", Read("set_ftrace_pid"));
    }

    [Fact]
    public void BusyTopLevel_IsLeftAlone()
    {
        Put("current_tracer", "function");
        var before = Snapshot();
        var options = new FunctionTracingOptions(FunctionTracingOptions.GraphTracer, ["vfs_read"], [], [], followForks: false, maxDepth: null);
        var e = Assert.Throws<TraceException>(() => FunctionTracing.Start(Fs, options));
        Assert.Equal("TopLevelBufferBusy", e.ErrorId);
        Assert.Contains("'function'", e.Message);
        Assert.Equal(before, Snapshot());
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_root, "instances")));
    }

    [Fact]
    public void EventsEnabledAtTheTop_AlsoMeanBusy()
    {
        Put("set_event", "sched:sched_switch");
        var options = new FunctionTracingOptions(FunctionTracingOptions.GraphTracer, ["vfs_read"], [], [], followForks: false, maxDepth: null);
        var e = Assert.Throws<TraceException>(() => FunctionTracing.Start(Fs, options));
        Assert.Equal("TopLevelBufferBusy", e.ErrorId);
        Assert.Contains("sched:sched_switch", e.Message);
    }

    [Fact]
    public void FailingHalfway_PutsBackWhatWasAlreadyWritten()
    {
        // A write that fails after set_graph_function was changed: set_graph_notrace cannot be opened.
        File.Delete(Path.Combine(_root, "set_graph_notrace"));
        Directory.CreateDirectory(Path.Combine(_root, "set_graph_notrace"));
        var before = Snapshot();
        var options = new FunctionTracingOptions(FunctionTracingOptions.GraphTracer, ["vfs_read"], ["schedule"], [], followForks: false, maxDepth: null);
        Assert.ThrowsAny<TraceException>(() => FunctionTracing.Start(Fs, options));
        Assert.Equal(Normalized(before), Normalized(Snapshot()));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_root, "instances")));
    }

    [Fact]
    public void NoGraphTracer_NamesTheConfigOption()
    {
        Put("available_tracers", "blk function nop");
        var options = new FunctionTracingOptions(FunctionTracingOptions.GraphTracer, ["vfs_read"], [], [], followForks: false, maxDepth: null);
        var e = Assert.Throws<TraceException>(() => FunctionTracing.Start(Fs, options));
        Assert.Equal("FunctionGraphTracerNotSupported", e.ErrorId);
        Assert.Equal(TraceErrorKind.NotSupported, e.Kind);
        Assert.Contains("CONFIG_FUNCTION_GRAPH_TRACER", e.Message);
        Assert.Contains("tracepoints", e.Fix);
        Assert.Equal("nop\n", Read("current_tracer"));
    }

    [Fact]
    public void ListParsing()
    {
        Assert.Empty(TracerSettingsList("#### all functions enabled ####\n"));
        Assert.Empty(TracerSettingsList("no pid\n"));
        Assert.Equal(["vfs_read", "p9_client_rpc"], TracerSettingsList("vfs_read\np9_client_rpc [9pnet]\nschedule:traceoff:unlimited\n"));
    }

    private static IReadOnlyList<string> TracerSettingsList(string text) => TracerSettings.ParseList(text);

    private static int ExitedProcessId()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private void Put(string relative, string text)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
    }

    private string Read(string relative) => File.ReadAllText(Path.Combine(_root, relative));

    private SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(_root, file)] = File.ReadAllText(file);
        }

        return files;
    }

    // A list file put back empty reads "\n" where the kernel would print its placeholder again.
    private static SortedDictionary<string, string> Normalized(SortedDictionary<string, string> files) => new(
        files.ToDictionary(f => f.Key, f => string.Join(' ', TracerSettings.ParseList(f.Value))), StringComparer.Ordinal);
}
