using PSTrace.Core.Records;

namespace PSTrace.Core.Pictures;

/// <summary>
/// The watch tools' records on their task's track: a slice where the record has a start and an end (a system call
/// from entry to return, a lookup from call to answer; a block request, which runs beside its process, as an async
/// span from issue to completion), a moment where it has one time (an exec, an open's return, a line read).
/// </summary>
public sealed class TimelineRecords
{
    private readonly TimelineJsonWriter _writer;
    private readonly TimelineTracks _tracks;
    private long _nextAsyncId = 1;

    public TimelineRecords(TimelineJsonWriter writer, TimelineTracks tracks)
    {
        _writer = writer;
        _tracks = tracks;
    }

    /// <summary>Draws a watch record; false for a type this does not know.</summary>
    public bool Draw(object record)
    {
        switch (record)
        {
            case SyscallEvent call:
                Syscall(call);
                return true;
            case BlockIoEvent io:
                BlockIo(io);
                return true;
            case HostLookupEvent lookup:
                HostLookup(lookup);
                return true;
            case ExecEvent exec:
                _tracks.Use(exec.ProcessId, exec.ThreadId, exec.Command);
                _writer.Instant("exec " + (exec.Path ?? exec.Command), "exec", exec.TimestampNanoseconds, exec.ProcessId, exec.ThreadId,
                [
                    new("path", exec.Path), new("commandLine", exec.CommandLine), new("parentProcessId", exec.ParentProcessId),
                    new("parentCommand", exec.ParentCommand), new("returnValue", exec.ReturnValue), new("error", exec.Error),
                ]);
                return true;
            case OpenEvent open:
                _tracks.Use(open.ProcessId, open.ThreadId, open.Command);
                _writer.Instant("open " + (open.Path ?? "?"), "open", open.TimestampNanoseconds, open.ProcessId, open.ThreadId,
                [
                    new("path", open.Path), new("syscall", open.Syscall), new("fileDescriptor", open.FileDescriptor),
                    new("error", open.Error), new("flags", open.Flags), new("mode", open.Mode),
                ]);
                return true;
            case ReadlineEvent line:
                _tracks.Use(line.ProcessId, line.ProcessId, line.Command);
                _writer.Instant("readline", "readline", line.TimestampNanoseconds, line.ProcessId, line.ProcessId, [new("line", line.Line)]);
                return true;
            default:
                return false;
        }
    }

    private void Syscall(SyscallEvent call)
    {
        _tracks.Use(call.ProcessId, call.ThreadId, call.Command);
        var args = new List<KeyValuePair<string, object?>>(call.Arguments) { new("returnValue", call.ReturnValue), new("error", call.Error) };
        if (call.DurationNanoseconds is ulong duration)
        {
            _writer.Complete(call.Name, "syscall", call.TimestampNanoseconds, duration, call.ProcessId, call.ThreadId, args);
        }
        else
        {
            // exit and exit_group never return: the entry is all there is.
            _writer.Instant(call.Name, "syscall", call.TimestampNanoseconds, call.ProcessId, call.ThreadId, args);
        }
    }

    private void BlockIo(BlockIoEvent io)
    {
        _tracks.Use(io.ProcessId, io.ThreadId, io.Command);
        string device = io.Device ?? io.DeviceNumber;
        var args = new KeyValuePair<string, object?>[]
        {
            new("device", device), new("operation", io.Operation), new("sector", io.Sector), new("bytes", io.Bytes),
            new("queueLatencyNanoseconds", io.QueueLatencyNanoseconds), new("latencyNanoseconds", io.LatencyNanoseconds), new("error", io.Error),
        };

        // The record's time is the completion; the latency runs back to the issue.
        ulong completed = io.TimestampNanoseconds;
        ulong issued = completed >= io.LatencyNanoseconds ? completed - io.LatencyNanoseconds : 0;
        _writer.Async($"{device} {io.Operation}", "block", _nextAsyncId++, issued, completed, io.ProcessId, io.ThreadId, args);
    }

    private void HostLookup(HostLookupEvent lookup)
    {
        _tracks.Use(lookup.ProcessId, lookup.ThreadId, lookup.Command);
        string name = "getaddrinfo " + (lookup.Host ?? "?");
        var args = new KeyValuePair<string, object?>[]
        {
            new("host", lookup.Host), new("service", lookup.Service), new("result", lookup.Result), new("error", lookup.Error),
            new("connections", lookup.Connections.Select(c => c.ToString()).ToArray()),
        };
        if (lookup.LatencyNanoseconds is ulong latency)
        {
            _writer.Complete(name, "hostlookup", lookup.TimestampNanoseconds, latency, lookup.ProcessId, lookup.ThreadId, args);
        }
        else
        {
            _writer.Instant(name, "hostlookup", lookup.TimestampNanoseconds, lookup.ProcessId, lookup.ThreadId, args);
        }
    }
}
