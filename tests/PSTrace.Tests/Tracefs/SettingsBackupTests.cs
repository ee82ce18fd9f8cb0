using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

/// <summary>
/// The on-disk copy of settings a session changed outside its instance, against a directory standing in
/// for tracefs: what it refuses to keep, and what it refuses to write back (the real kernel's files are
/// covered in the lane, where a graph trace borrows the top level and is killed).
/// </summary>
public sealed class SettingsBackupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pstrace-fake-backup-").FullName;
    private readonly string _state = Directory.CreateTempSubdirectory("pstrace-fake-backup-state-").FullName;
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "pstrace-outside-" + Guid.NewGuid().ToString("N"));

    public SettingsBackupTests()
    {
        File.WriteAllText(Path.Combine(_root, "current_tracer"), "function_graph\n");
        File.WriteAllText(Path.Combine(_root, "max_graph_depth"), "3\n");
        File.WriteAllText(_outside, "untouched");
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_state, recursive: true);
        File.Delete(_outside);
    }

    private Core.Tracefs.Tracefs Fs => Core.Tracefs.Tracefs.At(_root, _state);

    [Fact]
    public void ValuesComeBackNewestFirst_SoTheFirstOneWins()
    {
        SettingsBackup.Append(Fs, "pstrace-1-1", Path.Combine(_root, "current_tracer"), "nop");
        SettingsBackup.Append(Fs, "pstrace-1-1", Path.Combine(_root, "max_graph_depth"), "0");
        SettingsBackup.Append(Fs, "pstrace-1-1", Path.Combine(_root, "current_tracer"), "function");

        Assert.Empty(SettingsBackup.Restore(Fs, "pstrace-1-1"));
        Assert.Equal("nop\n", File.ReadAllText(Path.Combine(_root, "current_tracer")));
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(_root, "max_graph_depth")));
        Assert.False(File.Exists(SettingsBackup.PathFor(Fs, "pstrace-1-1")));
    }

    [Fact]
    public void APathOutsideTracefsIsRefused_AndNothingIsKept()
    {
        var e = Assert.Throws<TraceException>(() => SettingsBackup.Append(Fs, "pstrace-1-1", _outside, "x"));
        Assert.Equal("SettingOutsideTracefs", e.ErrorId);
        Assert.Empty(Directory.EnumerateFiles(_state));
    }

    [Fact]
    public void ALineThatLeavesTracefsIsNotWritten()
    {
        string file = SettingsBackup.PathFor(Fs, "pstrace-1-1");
        string escape = Path.GetRelativePath(_root, _outside);
        File.WriteAllText(file, $"root\t{_root}\n{escape}\tchanged\n/etc/hostname\tchanged\nmax_graph_depth\t0\n");

        IReadOnlyList<string> failures = SettingsBackup.Restore(Fs, "pstrace-1-1");
        Assert.Equal(2, failures.Count);
        Assert.Equal("untouched", File.ReadAllText(_outside));
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(_root, "max_graph_depth"))); // the good line still went back
    }

    [Fact]
    public void AnotherTracefssCopyIsNeitherListedNorRestored()
    {
        string other = Directory.CreateTempSubdirectory("pstrace-fake-other-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(other, "max_graph_depth"), "5\n");
            var otherFs = Core.Tracefs.Tracefs.At(other, _state);
            SettingsBackup.Append(otherFs, "pstrace-1-1", Path.Combine(other, "max_graph_depth"), "0");

            Assert.Empty(SettingsBackup.Sessions(Fs));
            Assert.Single(SettingsBackup.Restore(Fs, "pstrace-1-1"));
            Assert.Equal("3\n", File.ReadAllText(Path.Combine(_root, "max_graph_depth")));
            Assert.Equal(new[] { "pstrace-1-1" }, SettingsBackup.Sessions(otherFs));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void ABackslashInAValueSurvives()
    {
        SettingsBackup.Append(Fs, "pstrace-1-1", Path.Combine(_root, "current_tracer"), @"a\tb\\c");
        Assert.Empty(SettingsBackup.Restore(Fs, "pstrace-1-1"));
        Assert.Equal("a\\tb\\\\c\n", File.ReadAllText(Path.Combine(_root, "current_tracer")));
    }
}
