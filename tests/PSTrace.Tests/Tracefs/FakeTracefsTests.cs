using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

/// <summary>Error paths the kernel will not produce on demand, against a directory standing in for tracefs.</summary>
public sealed class FakeTracefsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pstrace-fake-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WritingAMissingControlFileNamesTheFileAndTheText()
    {
        var e = Assert.Throws<KernelRejectedException>(() => ControlFile.Write(Path.Combine(_root, "nope"), "1", append: false, errorLogPath: null));
        Assert.Equal(2, e.Errno);
        Assert.Equal(TraceErrorKind.NotFound, e.Kind);
        Assert.Equal("1", e.Written);
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public void NoInstancesDirectoryMeansNoInstances() => Assert.Empty(Core.Tracefs.Tracefs.At(_root).InstanceNames());

    [Fact]
    public void ReapingIgnoresInstancesPSTraceDidNotMake()
    {
        Directory.CreateDirectory(Path.Combine(_root, "instances", "someone-else"));
        Directory.CreateDirectory(Path.Combine(_root, "instances", "pstrace-" + Environment.ProcessId + "-1"));
        IReadOnlyList<OrphanedObject> orphans = SessionReaper.FindOrphans(Core.Tracefs.Tracefs.At(_root));
        Assert.Empty(orphans); // ours is alive, the other is not ours

        IReadOnlyList<OrphanedObject> all = SessionReaper.FindOrphans(Core.Tracefs.Tracefs.At(_root), includeLive: true);
        Assert.Equal("pstrace-" + Environment.ProcessId + "-1", Assert.Single(all).Name);
    }
}
