using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PSTrace.Core.Pictures;

/// <summary>
/// Writes the Trace Event Format's JSON object form ({"traceEvents": [...]}) one event at a time, straight to the
/// stream: nothing but the writer's buffer is held, so a trace of any size goes through. Timestamps are given in
/// nanoseconds of the trace clock and written as the format wants them, microseconds (exact, with decimals).
/// </summary>
public sealed class TimelineJsonWriter : IDisposable
{
    private const int FlushAt = 64 * 1024;
    private const int MaxArgumentDepth = 4;

    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private bool _finished;

    public TimelineJsonWriter(Stream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _json.WriteStartObject();
        _json.WriteStartArray("traceEvents");
    }

    /// <summary>Events written so far.</summary>
    public long Events { get; private set; }

    /// <summary>A slice with a known start and length ("X", a complete event) on a thread's track.</summary>
    public void Complete(string name, string category, ulong startNanoseconds, ulong durationNanoseconds, int processId, int threadId, IEnumerable<KeyValuePair<string, object?>>? args)
    {
        Begin(name, category, "X", startNanoseconds, processId, threadId);
        _json.WriteNumber("dur", durationNanoseconds / 1000m);
        End(args);
    }

    /// <summary>A moment on a thread's track, or on every track (global: a gap in the trace).</summary>
    public void Instant(string name, string category, ulong nanoseconds, int processId, int threadId, IEnumerable<KeyValuePair<string, object?>>? args, bool global = false)
    {
        Begin(name, category, "i", nanoseconds, processId, threadId);
        _json.WriteString("s", global ? "g" : "t");
        End(args);
    }

    /// <summary>
    /// A span that runs beside its process's threads rather than in one (a block request in the device): a pair of
    /// async events ("b" and "e", matched by category and id), so spans of one process may overlap.
    /// </summary>
    public void Async(string name, string category, long id, ulong startNanoseconds, ulong endNanoseconds, int processId, int threadId, IEnumerable<KeyValuePair<string, object?>>? args)
    {
        Begin(name, category, "b", startNanoseconds, processId, threadId);
        _json.WriteNumber("id", id);
        End(args);
        Begin(name, category, "e", endNanoseconds, processId, threadId);
        _json.WriteNumber("id", id);
        End(null);
    }

    /// <summary>A metadata event ("M"): process_name, thread_name, process_sort_index, thread_sort_index.</summary>
    public void Metadata(string kind, int processId, int threadId, string argument, object value)
    {
        _json.WriteStartObject();
        _json.WriteString("name", kind);
        _json.WriteString("ph", "M");
        _json.WriteNumber("pid", processId);
        _json.WriteNumber("tid", threadId);
        _json.WriteStartObject("args");
        _json.WritePropertyName(argument);
        WriteValue(value, 0);
        _json.WriteEndObject();
        EndEvent();
    }

    /// <summary>Closes the array and the object, so the file is whole, and flushes it. Later calls do nothing.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _json.WriteEndArray();
        _json.WriteString("displayTimeUnit", "ns");
        _json.WriteStartObject("otherData");
        _json.WriteString("clock", "the trace's clock; ts and dur in microseconds");
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        _stream.Flush();
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }

    private void Begin(string name, string category, string phase, ulong nanoseconds, int processId, int threadId)
    {
        _json.WriteStartObject();
        _json.WriteString("name", name);
        _json.WriteString("cat", category);
        _json.WriteString("ph", phase);
        _json.WriteNumber("ts", nanoseconds / 1000m);
        _json.WriteNumber("pid", processId);
        _json.WriteNumber("tid", threadId);
    }

    private void End(IEnumerable<KeyValuePair<string, object?>>? args)
    {
        if (args is not null)
        {
            _json.WriteStartObject("args");
            foreach ((string key, object? value) in args)
            {
                _json.WritePropertyName(key);
                WriteValue(value, 1);
            }

            _json.WriteEndObject();
        }

        EndEvent();
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        Events++;
        if (_json.BytesPending >= FlushAt)
        {
            _json.Flush();
        }
    }

    /// <summary>An argument as JSON: numbers as numbers, lists as arrays, dictionaries as objects, the rest as its text.</summary>
    private void WriteValue(object? value, int depth)
    {
        switch (value)
        {
            case null:
                _json.WriteNullValue();
                break;
            case string s:
                _json.WriteStringValue(s);
                break;
            case bool b:
                _json.WriteBooleanValue(b);
                break;
            case int or long or short or sbyte or byte or ushort or uint:
                _json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong u:
                _json.WriteNumberValue(u);
                break;
            case decimal m:
                _json.WriteNumberValue(m);
                break;
            case double or float when Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) is var d && double.IsFinite(d):
                _json.WriteNumberValue(d);
                break;
            case IDictionary dictionary when depth < MaxArgumentDepth:
                _json.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    _json.WritePropertyName(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    WriteValue(entry.Value, depth + 1);
                }

                _json.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs when depth < MaxArgumentDepth:
                _json.WriteStartObject();
                foreach ((string key, object? item) in pairs)
                {
                    _json.WritePropertyName(key);
                    WriteValue(item, depth + 1);
                }

                _json.WriteEndObject();
                break;
            case IEnumerable items when depth < MaxArgumentDepth:
                _json.WriteStartArray();
                foreach (object? item in items)
                {
                    WriteValue(item, depth + 1);
                }

                _json.WriteEndArray();
                break;
            default:
                _json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }
}
