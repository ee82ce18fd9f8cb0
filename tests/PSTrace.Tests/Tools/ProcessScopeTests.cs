using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Tools;

/// <summary>
/// Which events a process scope keeps, against this machine's real /proc: this test process (many threads)
/// and init (pid 1, always there) stand for a watched process and another one.
/// </summary>
public sealed class ProcessScopeTests
{
    private static readonly int Self = Environment.ProcessId;

    [Fact]
    public void AScopeHoldsEveryThreadOfItsProcesses()
    {
        ProcessScope scope = ProcessScope.For([Self, Self], includeChildren: false);

        Assert.Equal([Self], scope.ProcessIds);
        Assert.Contains(Self, scope.Threads);
        Assert.True(scope.Threads.Count > 1, "a .NET process has more than one thread");
        Assert.Equal(scope.Threads.Count, scope.Threads.Distinct().Count());
    }

    [Fact]
    public void AProcessThatDoesNotExistIsRefusedByName()
    {
        TraceException e = Assert.Throws<TraceException>(() => ProcessScope.For([int.MaxValue], includeChildren: false));
        Assert.Equal("ProcessNotFound", e.ErrorId);
        Assert.Equal(TraceErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void RequireRunningTakesARunningProcessAndRefusesOneThatDoesNot()
    {
        ProcessScope.RequireRunning([Environment.ProcessId]);
        TraceException e = Assert.Throws<TraceException>(() => ProcessScope.RequireRunning([Environment.ProcessId, int.MaxValue]));
        Assert.Equal("ProcessNotFound", e.ErrorId);
    }

    [Fact]
    public void EventsOfTheProcessAreKeptOthersDropped()
    {
        ProcessScope scope = ProcessScope.For([Self], includeChildren: false);

        Assert.True(scope.Contains(Event(pid: Self, tgid: Self)));
        Assert.False(scope.Contains(Event(pid: 1, tgid: 1)));
    }

    [Fact]
    public void WithoutARecordedThreadGroupTheProcessIsLookedUpInProc()
    {
        // Text without record-tgid: the event names only its thread; a thread of this process other than the main one.
        int thread = Directory.GetDirectories($"/proc/{Self}/task").Select(d => int.Parse(Path.GetFileName(d))).First(t => t != Self);
        ProcessScope scope = ProcessScope.For([Self], includeChildren: false);

        Assert.True(scope.Contains(Event(pid: thread, tgid: null)));
        Assert.False(scope.Contains(Event(pid: 1, tgid: null)));
        Assert.False(scope.Contains(Event(pid: int.MaxValue, tgid: null)));
    }

    [Fact]
    public void WithChildrenEveryEventTheKernelLetThroughIsKept()
    {
        // The kernel's set_event_pid with event-fork already limits the session to the processes and their children.
        ProcessScope scope = ProcessScope.For([Self], includeChildren: true);

        Assert.True(scope.Contains(Event(pid: 1, tgid: 1)));
    }

    private static TraceEvent Event(int pid, int? tgid) =>
        new(1, 0, pid, tgid, "task", "....", "sched", "sched_switch", new Dictionary<string, object?>(), "", null);
}
