namespace PSTrace.Core.Binary.TraceDat;

/// <summary>
/// The metadata blocks both versions share (v6 writes them one after another, v7 in sections):
/// header info, ftrace and event formats, kallsyms, printk formats, saved cmdlines.
/// </summary>
internal static class MetadataSections
{
    public static void ReadHeaderInfo(DataCursor c, TraceDatMetadata meta)
    {
        string tag = c.Tag(12, "the \"header_page\" tag");
        if (tag != "header_page")
        {
            throw c.Error($"Expected \"header_page\", found \"{tag}\"", c.Position - 12);
        }

        meta.HeaderPage = c.Text(c.U64("the header_page size"), "header_page");
        tag = c.Tag(13, "the \"header_event\" tag");
        if (tag != "header_event")
        {
            throw c.Error($"Expected \"header_event\", found \"{tag}\"", c.Position - 13);
        }

        meta.HeaderEvent = c.Text(c.U64("the header_event size"), "header_event");
    }

    public static void ReadFtraceFormats(DataCursor c, TraceDatMetadata meta)
    {
        uint count = c.U32("the number of ftrace formats");
        for (uint i = 0; i < count; i++)
        {
            meta.AddFormat(c.Text(c.U64("an ftrace format size"), "an ftrace format"), "ftrace");
        }
    }

    public static void ReadEventFormats(DataCursor c, TraceDatMetadata meta)
    {
        uint systems = c.U32("the number of event systems");
        for (uint s = 0; s < systems; s++)
        {
            string system = c.CString("an event system name");
            uint count = c.U32($"the number of {system} formats");
            for (uint i = 0; i < count; i++)
            {
                meta.AddFormat(c.Text(c.U64($"a {system} format size"), $"a {system} format"), system);
            }
        }
    }

    public static void ReadKallsyms(DataCursor c, TraceDatMetadata meta) =>
        meta.Kallsyms = c.DeferredText(c.U32("the kallsyms size"), "kallsyms");

    public static void ReadPrintk(DataCursor c, TraceDatMetadata meta) =>
        meta.Printk = c.Text(c.U32("the printk formats size"), "printk formats");

    public static void ReadCmdlines(DataCursor c, TraceDatMetadata meta) =>
        meta.Cmdlines = c.Text(c.U64("the saved cmdlines size"), "saved cmdlines");
}
