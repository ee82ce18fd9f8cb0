using System.Text.Json;
using PSTrace.Core.Pictures;

namespace PSTrace.Tests.Pictures;

/// <summary>
/// Checks a timeline against the Trace Event Format (catapult's "Trace Event Format" document, JSON object form):
/// every event has name, ph, pid and tid, and ts unless it is metadata; "X" has a dur of 0 or more; "B"/"E" pair on
/// their thread and "b"/"e" by category and id; a track's events come in time order.
/// </summary>
internal static class TimelineFormat
{
    public sealed record Event(string Name, string Category, string Phase, decimal Ts, decimal? Dur, int Pid, int Tid, JsonElement Args, long? Id, string? Scope);

    /// <summary>Writes <paramref name="records"/> through a TimelineExporter to memory and returns the checked events.</summary>
    public static List<Event> Export(IEnumerable<object> records, out int skipped)
    {
        var stream = new MemoryStream();
        skipped = 0;
        using (var exporter = new TimelineExporter(stream))
        {
            foreach (object record in records)
            {
                skipped += exporter.Add(record) ? 0 : 1;
            }

            exporter.Finish();
            return Check(stream.ToArray());
        }
    }

    public static List<Event> Check(byte[] json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var events = new List<Event>();
        var open = new Dictionary<(int, int), Stack<string>>();
        var openAsync = new Dictionary<(string, long), decimal>();
        var lastOnTrack = new Dictionary<(int, int), decimal>();
        foreach (JsonElement e in root.GetProperty("traceEvents").EnumerateArray())
        {
            string phase = e.GetProperty("ph").GetString()!;
            Assert.Contains(phase, new[] { "X", "B", "E", "i", "b", "e", "M" });
            string name = e.GetProperty("name").GetString()!;
            int pid = e.GetProperty("pid").GetInt32();
            int tid = e.GetProperty("tid").GetInt32();
            JsonElement args = e.TryGetProperty("args", out JsonElement a) ? a.Clone() : default;
            if (phase == "M")
            {
                Assert.Contains(name, new[] { "process_name", "thread_name", "process_sort_index", "thread_sort_index" });
                events.Add(new Event(name, "", phase, 0, null, pid, tid, args, null, null));
                continue;
            }

            decimal ts = e.GetProperty("ts").GetDecimal();
            string category = e.GetProperty("cat").GetString()!;
            decimal? dur = null;
            long? id = null;
            string? scope = null;
            switch (phase)
            {
                case "X":
                    dur = e.GetProperty("dur").GetDecimal();
                    Assert.True(dur >= 0, $"{name} at {ts}: dur {dur}");
                    break;
                case "B":
                    (open.TryGetValue((pid, tid), out Stack<string>? stack) ? stack : open[(pid, tid)] = new Stack<string>()).Push(name);
                    break;
                case "E":
                    Assert.True(open.TryGetValue((pid, tid), out Stack<string>? begun) && begun.Count > 0, $"E without B at {ts}");
                    begun!.Pop();
                    break;
                case "i":
                    scope = e.GetProperty("s").GetString();
                    Assert.Contains(scope, new[] { "t", "p", "g" });
                    break;
                case "b":
                    id = e.GetProperty("id").GetInt64();
                    Assert.True(openAsync.TryAdd((category, id.Value), ts), $"async {category} {id} begun twice");
                    break;
                case "e":
                    id = e.GetProperty("id").GetInt64();
                    Assert.True(openAsync.Remove((category, id.Value), out decimal start), $"async {category} {id} ended, never begun");
                    Assert.True(ts >= start, $"async {category} {id} ends before it begins");
                    break;
            }

            if (phase is "X" or "B" or "E" or "i")
            {
                Assert.True(!lastOnTrack.TryGetValue((pid, tid), out decimal last) || ts >= last, $"{name} at {ts} on track {pid}/{tid} is before {last}");
                lastOnTrack[(pid, tid)] = ts;
            }

            events.Add(new Event(name, category, phase, ts, dur, pid, tid, args, id, scope));
        }

        Assert.All(open.Values, s => Assert.Empty(s));
        Assert.Empty(openAsync);
        return events;
    }
}
