using System.Diagnostics;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tracefs;

/// <summary>
/// Session owners are known by PID and start time, and what New-* made is marked, against a directory
/// standing in for tracefs and a state directory of the test's own.
/// </summary>
public sealed class SessionOwnerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pstrace-fake-owner-").FullName;
    private readonly string _state = Directory.CreateTempSubdirectory("pstrace-fake-owner-state-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_state, recursive: true);
    }

    private Core.Tracefs.Tracefs Fs => Core.Tracefs.Tracefs.At(_root, _state);

    [Fact]
    public void The_start_time_is_field_22_of_proc_stat()
    {
        using Process self = Process.GetCurrentProcess();
        long? start = SessionOwner.StartTimeOf(self.Id);
        Assert.NotNull(start);
        Assert.Equal(File.ReadAllText("/proc/self/stat").Split(' ')[21], start.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(SessionOwner.StartTimeOf(int.MaxValue));
    }

    [Fact]
    public void A_pid_in_use_by_a_process_started_at_another_time_is_not_the_owner()
    {
        using Process sleeper = Process.Start("sleep", "30");
        try
        {
            long start = SessionOwner.StartTimeOf(sleeper.Id)!.Value;
            Assert.False(SessionOwner.IsAlive(Fs, sleeper.Id)); // no record: made by hand, not an owner

            File.WriteAllText(SessionOwner.PathFor(Fs, sleeper.Id), (start - 100).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.False(SessionOwner.IsAlive(Fs, sleeper.Id)); // reused PID

            File.WriteAllText(SessionOwner.PathFor(Fs, sleeper.Id), start.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(SessionOwner.IsAlive(Fs, sleeper.Id));

            File.WriteAllText(SessionOwner.PathFor(Fs, sleeper.Id), "1");
            SessionOwner.ForgetDead(Fs);
            Assert.False(File.Exists(SessionOwner.PathFor(Fs, sleeper.Id)));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void This_process_records_itself_once_and_is_alive()
    {
        SessionOwner.RecordThisProcess(Fs);
        Assert.True(File.Exists(SessionOwner.PathFor(Fs, Environment.ProcessId)));
        Assert.True(SessionOwner.IsAlive(Fs, Environment.ProcessId));

        // At exit the record goes: a record only matters while its process runs.
        SessionOwner.ForgetThisProcess();
        Assert.False(File.Exists(SessionOwner.PathFor(Fs, Environment.ProcessId)));
    }

    [Fact]
    public void What_new_commands_made_is_marked_until_removed()
    {
        Assert.True(CreatedObjects.IsOurInstance(Fs, "pstrace-12-1"));
        Assert.False(CreatedObjects.IsOurInstance(Fs, "bystander"));
        CreatedObjects.AddInstance(Fs, "mine");
        Assert.True(CreatedObjects.IsOurInstance(Fs, "mine"));
        CreatedObjects.RemoveInstance(Fs, "mine");
        Assert.False(CreatedObjects.IsOurInstance(Fs, "mine"));

        Assert.True(CreatedObjects.IsOurProbe(Fs, "pstrace_12", "x"));
        Assert.False(CreatedObjects.IsOurProbe(Fs, "uprobes", "readline"));
        CreatedObjects.AddProbe(Fs, "uprobes", "readline");
        Assert.True(CreatedObjects.IsOurProbe(Fs, "uprobes", "readline"));
        Assert.False(CreatedObjects.IsOurProbe(Core.Tracefs.Tracefs.At(_state, _state), "uprobes", "readline")); // another tracefs's mark

        // With the last mark removed the file goes too, leaving the state directory as it was.
        CreatedObjects.RemoveProbe(Fs, "uprobes", "readline");
        Assert.False(File.Exists(Path.Combine(_state, CreatedObjects.FileName)));
    }
}
