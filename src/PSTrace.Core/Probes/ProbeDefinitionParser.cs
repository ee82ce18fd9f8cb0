namespace PSTrace.Core.Probes;

/// <summary>
/// Reads the kernel's one-line probe syntax, the lines people copy from documentation and blog posts:
/// "p:listenprobe sys_listen sd=%di", "r:bash_rl /bin/bash:0x8d2a0 line=+0($retval):string",
/// "p:grp/ev vfs_read%return", "r10:myret do_sys_open", "p /bin/sh:0x10(0x20) a=%di".
/// Checks come in the order kernel/trace/trace_kprobe.c and trace_uprobe.c make them, so the first error is
/// the kernel's; positions are indexes into the line. Anything that is not exactly one definition is refused.
/// </summary>
public static partial class ProbeDefinitionParser
{
    /// <summary>Parses one definition. With <paramref name="checkFiles"/>, a uprobe's file must exist and be a regular file.</summary>
    public static ProbeDefinition Parse(string line, bool checkFiles = false)
    {
        List<(string Text, int Start)> words = Split(line, forDefinition: true);
        (string head, int headStart) = words[0];
        if (head.StartsWith('-') || head.StartsWith('!'))
        {
            throw new ProbeValidationException(ProbeErrorCode.RemovalNotAllowed,
                "This line removes a probe ('-:' or '!'); a definition was expected here.", line, headStart, Math.Min(2, head.Length));
        }

        if (head[0] is not ('p' or 'r'))
        {
            throw new ProbeValidationException(ProbeErrorCode.UnknownProbeType,
                $"A probe definition starts with 'p' (probe) or 'r' (return probe), not '{head[0]}'. Other dynamic events (f:, t:, e:, s:) are not probes of this kind.", line, headStart);
        }

        if (words.Count < 2)
        {
            throw new ProbeValidationException(ProbeErrorCode.MissingPlace,
                "The definition names no place to probe: add a kernel symbol (vfs_read, vfs_read+4), an address, or PATH:OFFSET.", line, line.Length);
        }

        bool user = words[1].Text.Contains('/', StringComparison.Ordinal);
        try
        {
            return user ? ParseUser(line, words, checkFiles) : ParseKernel(line, words);
        }
        catch (PositionedError e)
        {
            throw e.Error.Within(line, e.Offset);
        }
    }

    /// <summary>Parses "-:[GROUP/]EVENT". The group is null when the line names none (then the kernel matches the event in any group).</summary>
    public static ProbeRemoval ParseRemoval(string line)
    {
        List<(string Text, int Start)> words = Split(line, forDefinition: false);
        (string head, int start) = words[0];
        if (!head.StartsWith("-:", StringComparison.Ordinal))
        {
            throw new ProbeValidationException(ProbeErrorCode.NotADefinition, "A removal is written -:[GROUP/]EVENT.", line, start);
        }

        if (words.Count > 1)
        {
            throw new ProbeValidationException(ProbeErrorCode.NotADefinition, "A removal names only [GROUP/]EVENT; nothing may follow it.", line, words[1].Start, line.Length - words[1].Start);
        }

        string name = head[2..];
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        string? group = slash >= 0 ? name[..slash] : null;
        string ev = slash >= 0 ? name[(slash + 1)..] : name;
        try
        {
            if (group is not null)
            {
                ProbeNames.CheckGroupName(group);
            }

            ProbeNames.CheckEventName(ev);
        }
        catch (ProbeValidationException e)
        {
            int offset = start + 2 + (e.Code is ProbeErrorCode.NoGroupName or ProbeErrorCode.GroupTooLong or ProbeErrorCode.BadGroupName ? 0 : slash + 1);
            throw e.Within(line, offset);
        }

        return group is null ? ProbeRemoval.InAnyGroup(ev) : new ProbeRemoval(group, ev);
    }

    /// <summary>True when the line is a removal ("-:..." or "!p:...") rather than a definition.</summary>
    public static bool IsRemoval(string line)
    {
        string t = line.TrimStart(' ', '\t');
        return t.StartsWith('-') || t.StartsWith('!');
    }

    private static ProbeDefinition ParseKernel(string line, List<(string Text, int Start)> words)
    {
        (string head, int headStart) = words[0];
        (string place, int placeStart) = words[1];
        bool isReturn = head[0] == 'r';
        int? maxActive = ParseMaxActive(head, headStart, isReturn, kernel: true);

        KernelProbePoint point;
        if (KernelNumber.TryParseUnsigned(place, out ulong address))
        {
            point = KernelProbePoint.AtAddress(address);
        }
        else
        {
            string symbol = place;
            int percent = symbol.IndexOf('%', StringComparison.Ordinal);
            if (percent >= 0)
            {
                if (symbol[percent..] != "%return")
                {
                    throw At(placeStart + percent, new ProbeValidationException(ProbeErrorCode.BadAddrSuffix,
                        $"Unknown suffix '{symbol[percent..]}': the only suffix a place takes is '%return'.", symbol[percent..], 0, symbol.Length - percent));
                }

                symbol = symbol[..percent];
                isReturn = true;
            }

            point = ParseKernelSymbol(symbol, placeStart);
        }

        ProbeKind kind = isReturn ? ProbeKind.Kretprobe : ProbeKind.Kprobe;
        if (kind == ProbeKind.Kretprobe && point is { Symbol: not null, Offset: > 0 })
        {
            throw At(placeStart, new ProbeValidationException(ProbeErrorCode.BadRetprobe,
                $"A return probe goes on a function's entry; '{point}' is {point.Offset} bytes inside it. Drop the offset.", place, 0, place.Length));
        }

        (string? group, string? eventName) = ParseNames(head, headStart);
        return Finish(line, words, kind, point, null, group, eventName, maxActive, point.IsFunctionEntry);
    }

    private static KernelProbePoint ParseKernelSymbol(string symbol, int placeStart)
    {
        string? module = null;
        string name = symbol;
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            module = name[..colon];
            name = name[(colon + 1)..];
        }

        int sign = name.IndexOfAny(['+', '-']);
        string sym = sign < 0 ? name : name[..sign];
        long offset = 0;
        bool ok = (module is null || ProbeNames.IsGoodGroupName(module))
            && FetchArgumentParser.IsKernelSymbol(sym)
            && (sign < 0 || KernelNumber.TryParseSigned(name[sign..], out offset) && offset >= 0 && offset <= uint.MaxValue);
        if (!ok)
        {
            throw At(placeStart, new ProbeValidationException(ProbeErrorCode.BadProbeAddr,
                $"'{symbol}' is not a place the kernel can probe: write [MODULE:]SYMBOL[+OFFSET] (offset 0..{uint.MaxValue}), or an address.", symbol, 0, Math.Max(1, symbol.Length)));
        }

        return KernelProbePoint.AtSymbol(sym, (ulong)offset, module);
    }

    private static ProbeDefinition ParseUser(string line, List<(string Text, int Start)> words, bool checkFiles)
    {
        (string head, int headStart) = words[0];
        (string place, int placeStart) = words[1];
        bool isReturn = head[0] == 'r';
        _ = ParseMaxActive(head, headStart, isReturn, kernel: false);

        int colon = place.LastIndexOf(':');
        if (colon < 0 || colon + 1 >= place.Length || !char.IsAsciiDigit(place[colon + 1]))
        {
            throw At(placeStart, new ProbeValidationException(ProbeErrorCode.BadUprobeOffs,
                $"A uprobe's place is PATH:OFFSET with a numeric file offset (e.g. /bin/bash:0x8d2a0); '{place}' has none. A symbol name is not accepted here: resolve it to an offset first.", place, colon < 0 ? place.Length : colon + 1));
        }

        string path = place[..colon];
        int pos = colon + 1;
        string rest = place[pos..];
        ulong? refCounter = null;
        int open = rest.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            int close = rest.IndexOf(')', open);
            if (close < 0)
            {
                throw At(placeStart + place.Length, new ProbeValidationException(ProbeErrorCode.RefcntOpenBrace, "The reference counter's '(' is not closed with ')'.", "", 0));
            }

            if (close != rest.Length - 1)
            {
                throw At(placeStart + pos + close + 1, new ProbeValidationException(ProbeErrorCode.BadRefcntSuffix,
                    $"Nothing may follow the reference counter's ')': write PATH:OFFSET%return(REF), with %return before the brace.", rest[(close + 1)..], 0, rest.Length - close - 1));
            }

            string refText = rest[(open + 1)..close];
            if (!KernelNumber.TryParseUnsigned(refText, out ulong r))
            {
                throw At(placeStart + pos + open + 1, new ProbeValidationException(ProbeErrorCode.BadRefcnt, $"'{refText}' is not a reference counter offset.", refText, 0, Math.Max(1, refText.Length)));
            }

            refCounter = r;
            rest = rest[..open];
        }

        int percent = rest.IndexOf('%', StringComparison.Ordinal);
        if (percent >= 0)
        {
            if (rest[percent..] != "%return")
            {
                throw At(placeStart + pos + percent, new ProbeValidationException(ProbeErrorCode.BadAddrSuffix,
                    $"Unknown suffix '{rest[percent..]}': the only suffix a place takes is '%return'.", rest[percent..], 0, rest.Length - percent));
            }

            isReturn = true;
            rest = rest[..percent];
        }

        if (!KernelNumber.TryParseUnsigned(rest, out ulong offset))
        {
            throw At(placeStart + pos, new ProbeValidationException(ProbeErrorCode.BadUprobeOffs, $"'{rest}' is not a file offset (decimal, 0x hex or 0 octal).", rest, 0, Math.Max(1, rest.Length)));
        }

        UserProbePoint point;
        try
        {
            point = UserProbePoint.Create(path, offset, refCounter);
        }
        catch (ProbeValidationException e)
        {
            throw At(placeStart, e);
        }

        if (checkFiles)
        {
            CheckFile(path, placeStart);
        }

        (string? group, string? eventName) = ParseNames(head, headStart);
        ProbeKind kind = isReturn ? ProbeKind.Uretprobe : ProbeKind.Uprobe;
        return Finish(line, words, kind, null, point, group, eventName, null, false);
    }

    private static void CheckFile(string path, int placeStart)
    {
        if (Directory.Exists(path) || File.Exists(path) && (File.GetAttributes(path) & FileAttributes.Device) != 0)
        {
            throw At(placeStart, new ProbeValidationException(ProbeErrorCode.NoRegularFile, $"'{path}' is not a regular file; a uprobe goes in an executable or a library.", path, 0, path.Length));
        }

        if (!File.Exists(path))
        {
            throw At(placeStart, new ProbeValidationException(ProbeErrorCode.FileNotFound, $"'{path}' does not exist (as this process sees the file system).", path, 0, path.Length));
        }
    }

    private static ProbeDefinition Finish(string line, List<(string Text, int Start)> words, ProbeKind kind, KernelProbePoint? kernelPoint,
        UserProbePoint? userPoint, string? group, string? eventName, int? maxActive, bool atFunctionEntry)
    {
        var args = new List<FetchArgument>();
        var ctx = new FetchContext(kind, atFunctionEntry);
        for (int i = 2; i < words.Count; i++)
        {
            (string text, int start) = words[i];
            if (args.Count == ProbeNames.MaxArguments)
            {
                throw new ProbeValidationException(ProbeErrorCode.TooManyArgs,
                    $"The probe has {words.Count - 2} arguments; the kernel takes at most {ProbeNames.MaxArguments}.", line, start, line.Length - start);
            }

            try
            {
                args.Add(FetchArgumentParser.Parse(text, ctx, args.Count));
            }
            catch (ProbeValidationException e)
            {
                throw e.Within(line, start);
            }
        }

        if (ProbeDefinition.FindArgumentProblem(args) is { } problem)
        {
            (string text, int start) = words[problem.Index + 2];
            throw new ProbeValidationException(problem.Error.Code, problem.Error.Reason, line, start, text.Length);
        }

        try
        {
            return ProbeDefinition.Build(kind, kernelPoint, userPoint, eventName, group, args, maxActive);
        }
        catch (ProbeValidationException e)
        {
            int at = e.Code == ProbeErrorCode.EventNameRequired ? words[0].Start : words[1].Start;
            throw new ProbeValidationException(e.Code, e.Reason, line, at, e.Code == ProbeErrorCode.EventNameRequired ? words[0].Text.Length : words[1].Text.Length);
        }
    }

    /// <summary>Splits at spaces and tabs like the kernel's argv_split, after the raw-text checks; refuses an empty line.</summary>
    private static List<(string Text, int Start)> Split(string line, bool forDefinition)
    {
        ArgumentNullException.ThrowIfNull(line);
        ProbeTextGuard.CheckLine(line);
        var words = new List<(string, int)>();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            int start = i;
            while (i < line.Length && line[i] is not (' ' or '\t'))
            {
                i++;
            }

            if (i > start)
            {
                words.Add((line[start..i], start));
            }
        }

        if (words.Count == 0)
        {
            throw new ProbeValidationException(ProbeErrorCode.Empty, forDefinition ? "The definition is empty." : "The removal is empty.", line, 0);
        }

        return words;
    }

    private static PositionedError At(int offset, ProbeValidationException error) => new(offset, error);

    /// <summary>An error about one part of the line, and where that part starts; turned into a line error at the top.</summary>
    private sealed class PositionedError(int offset, ProbeValidationException error) : Exception(error.Message)
    {
        public int Offset { get; } = offset;

        public ProbeValidationException Error { get; } = error;
    }
}
