using PSTrace.Core.Binary;
using PSTrace.Core.Formats;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Tests.Binary;

/// <summary>
/// The same events read both ways, the kernel's text (pages/trace.txt) and its binary pages
/// (pages/cpuN.raw): a field both readers give has the same value of the same type, so that
/// `Where-Object pid -eq 42` means the same on either path (signed numbers long, unsigned ulong).
/// </summary>
public sealed class TextAndBinaryAgreeTests
{
    [Fact]
    public void FieldsHaveTheSameValuesAndTypes()
    {
        EventFormatCatalog formats = EventFormatCatalog.Load(Fixtures.PathOf("6.18/pages/events"));
        RingBufferLayout layout = RingBufferLayout.Parse(Fixtures.Text("6.18/pages/header_page"));
        List<TraceEvent> text;
        using (var reader = new StringReader(Fixtures.Text("6.18/pages/trace.txt")))
        {
            text = TraceTextReader.Read(reader, formats).OfType<TraceEvent>().ToList();
        }

        int compared = 0;
        foreach (int cpu in new[] { 0, 1 })
        {
            using FileStream raw = File.OpenRead(Fixtures.PathOf($"6.18/pages/cpu{cpu}.raw"));
            List<TraceEvent> binary = new RingBufferPageDecoder(layout, formats).ReadPages(raw, cpu).Cast<TraceEvent>().ToList();
            List<TraceEvent> fromText = text.Where(e => e.Cpu == cpu).ToList();
            Assert.Equal(fromText.Count, binary.Count);
            for (int i = 0; i < binary.Count; i++)
            {
                foreach ((string name, object? value) in fromText[i].Fields)
                {
                    object? other = binary[i].Fields[name];
                    if (value is string && other is not string)
                    {
                        // Printed through a symbol table or flag names (prev_state=S): text by design.
                        continue;
                    }

                    // The kernel prints a plain %p hashed: such a pointer's value differs by design, its type must not.
                    bool hashed = formats.Find(binary[i].System, binary[i].Name)?.Field(name)?.IsPointer == true;
                    Assert.True(value?.GetType() == other?.GetType() && (hashed || Same(value, other)),
                        $"CPU {cpu} #{i} {binary[i].Name}.{name}: text {value} ({value?.GetType().Name}), binary {other} ({other?.GetType().Name})");
                    compared++;
                }
            }
        }

        Assert.True(compared > 5000, $"only {compared} fields compared");
    }

    private static bool Same(object? a, object? b) => a is Array x && b is Array y
        ? x.Cast<object>().SequenceEqual(y.Cast<object>())
        : Equals(a, b);
}
