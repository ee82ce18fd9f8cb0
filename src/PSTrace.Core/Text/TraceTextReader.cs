using System.Runtime.ExceptionServices;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Tracefs;

namespace PSTrace.Core.Text;

/// <summary>
/// Reads the text of tracefs's trace and trace_pipe files (live or saved) as records, one line at a time.
/// </summary>
/// <remarks>
/// <para>Yields, in the order of the text:</para>
/// <list type="bullet">
/// <item><see cref="TraceEvent"/> for every event line, whatever the header options (irq-info on or off,
/// any number of flag columns, record-tgid, counter clocks). Syscall lines ("sys_openat(...)",
/// "sys_openat -> 0x3") are named after their events (sys_enter_openat, sys_exit_openat); function
/// tracer lines ("func &lt;-parent") are ftrace:function with Fields ip and parent_ip; trace_marker writes
/// ("tracing_mark_write: text") are ftrace:print with Fields ip and buf (the text and its newline), as from
/// the binary pages.</item>
/// <item>One <see cref="TraceEvent"/> per "&lt;stack trace&gt;" or "&lt;user stack trace&gt;" with its
/// " => " lines: ftrace:kernel_stack or ftrace:user_stack, Fields["stack"] a string[] of the frames as
/// printed; Line holds all its lines.</item>
/// <item>A string that held a newline is printed by the kernel over several lines: the lines after an event
/// that are no trace line are the rest of its text, and are joined to it (Body, Line and the fields hold the
/// newlines), so the string is whole, as it is from the binary pages (see <see cref="PendingTraceLines"/>).</item>
/// <item><see cref="TraceLostEvents"/> for "CPU:N [LOST N EVENTS]" and "CPU:N [LOST EVENTS]" (Count null);
/// for the annotate option's "##### CPU N buffer started ####" (Count null: the CPU's older events were
/// overwritten); and, with Cpu -1, for a header whose entries-written exceeds entries-in-buffer
/// (Count = the difference: events overwritten before the read).</item>
/// <item>A line that is none of these, and follows no event, is not dropped: it comes as a <see cref="TraceEvent"/> with an empty
/// Name, Cpu -1, and the line in Body and Line. A well-formed prefix followed by text of no known shape
/// also has an empty Name, with the prefix filled in and the text in Body.</item>
/// </list>
/// <para>TimestampNanoseconds is the printed seconds.microseconds in nanoseconds; with a counter clock
/// (trace_clock counter or x86-tsc print a plain number) it is that number as printed.</para>
/// <para>Header and comment lines, and blank lines, yield nothing.</para>
/// <para>An event is yielded once the next line shows it is complete, at the end of the text, or as soon as
/// the reader has nothing more at hand (<see cref="TextReader.Peek"/> is -1: a live trace_pipe waiting for
/// the kernel), so a live event never waits for the next one.</para>
/// <para>With a catalog, an event's System and Fields come from its format (see
/// <see cref="EventBodyDecoder"/>); without one they are empty, except the syscall, function and stack
/// shapes above, which the text describes by itself.</para>
/// </remarks>
public static class TraceTextReader
{
    /// <summary>Reads until the reader ends; the enumeration is lazy, so it follows a live trace_pipe.</summary>
    /// <param name="reader">Text of a trace or trace_pipe file.</param>
    /// <param name="catalog">Event formats for System and Fields; null to parse the line shape only.</param>
    /// <returns><see cref="TraceEvent"/> and <see cref="TraceLostEvents"/> objects.</returns>
    public static IEnumerable<object> Read(TextReader reader, EventFormatCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadLines(reader, catalog);
    }

    private static IEnumerable<object> ReadLines(TextReader reader, EventFormatCatalog? catalog)
    {
        var parser = new TraceLineParser(catalog);
        var pending = new PendingTraceLines(parser);
        while (true)
        {
            (string? line, Exception? failure) = NextLine(reader);
            if (line is null)
            {
                // The end, or a line that cannot be read (too long): the event held before it is whole and goes first.
                if (pending.Take() is { } last)
                {
                    yield return last;
                }

                if (failure is not null)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                yield break;
            }

            TraceLineKind kind = TraceLineParser.Classify(line, out LinePrefix prefix, out int cpu, out long? count);
            if (!pending.TryContinue(line, kind))
            {
                if (pending.Take() is { } done)
                {
                    yield return done;
                }

                switch (kind)
                {
                    case TraceLineKind.Event:
                    case TraceLineKind.StackStart:
                        pending.Hold(line, prefix, kind);
                        break;
                    case TraceLineKind.Lost:
                    case TraceLineKind.BufferStarted:
                        yield return new TraceLostEvents(cpu, count);
                        break;
                    case TraceLineKind.EntriesHeader:
                        if (count > 0)
                        {
                            yield return new TraceLostEvents(-1, count);
                        }

                        break;
                    case TraceLineKind.StackFrame:
                    case TraceLineKind.Unknown:
                        yield return TraceLineParser.MakeUnknown(line);
                        break;
                }
            }

            // A live pipe that has nothing more yet: the kernel writes an event's lines together, so the held
            // record is complete; handing it on now keeps it from waiting for the next event.
            if (pending.IsHolding && reader.Peek() < 0 && pending.Take() is { } now)
            {
                yield return now;
            }
        }
    }

    private static (string? Line, Exception? Failure) NextLine(TextReader reader)
    {
        try
        {
            return (reader.ReadLine(), null);
        }
        catch (TraceException e)
        {
            return (null, e);
        }
    }
}
