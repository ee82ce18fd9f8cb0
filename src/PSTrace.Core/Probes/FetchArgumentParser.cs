using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>
/// Reads one fetch-arg the way kernel/trace/trace_probe.c does (traceprobe_parse_probe_arg and
/// parse_probe_arg), in the same order, so the first error found is the one the kernel would log.
/// Positions in errors are indexes into the argument's text, "name=" included.
/// Where the kernel silently ignores text (anything after a dereference's closing brace), this refuses it.
/// </summary>
internal static partial class FetchArgumentParser
{
    /// <summary>MAX_ARGSTR_LEN: longest expression-and-type the kernel takes after "name=".</summary>
    public const int MaxBodyLength = 63;

    /// <summary>MAX_ARRAY_LEN.</summary>
    public const int MaxArrayLength = 64;

    /// <summary>PARAM_MAX_STACK on x86_64: THREAD_SIZE (16 KiB) / sizeof(long).</summary>
    public const int MaxStackIndex = 2048;

    /// <summary>FETCH_INSN_MAX less the END slot: fetch + dereferences + store + bit field + array must fit.</summary>
    private const int MaxInstructions = 15;

    public static FetchArgument Parse(string text, FetchContext ctx, int index)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        string name;
        bool nameGiven = eq >= 0;
        int bodyStart = 0;
        if (nameGiven)
        {
            if (eq == 0)
            {
                throw Error(ProbeErrorCode.NoArgName, "The argument has '=' but no name before it; write NAME=FETCHARG.", text, 0);
            }

            if (eq > ProbeNames.MaxArgumentNameLength)
            {
                throw Error(ProbeErrorCode.ArgNameTooLong,
                    $"The argument name is {eq} characters long; the kernel takes at most {ProbeNames.MaxArgumentNameLength}.", text, 0, eq);
            }

            name = text[..eq];
            bodyStart = eq + 1;
        }
        else
        {
            // generate_probe_arg_name: a BTF variable names itself, anything else is arg<N>.
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            string head = colon < 0 ? text : text[..colon];
            name = ctx.HasFunctionArguments && ProbeNames.IsGoodName(head)
                ? head
                : "arg" + (index + 1).ToString(CultureInfo.InvariantCulture);
        }

        if (!ProbeNames.IsGoodName(name))
        {
            throw Error(ProbeErrorCode.BadArgName,
                $"The argument name '{name}' must be a C identifier (letters, digits and '_', not starting with a digit).", text, 0, Math.Max(1, eq));
        }

        if (ProbeNames.ReservedArgumentNames.Contains(name, StringComparer.Ordinal))
        {
            throw Error(ProbeErrorCode.UsedArgName,
                $"The argument name '{name}' is reserved: every probe event already has a field of that name.", text, 0, name.Length);
        }

        string body = text[bodyStart..];
        if (body.Length == 0)
        {
            throw Error(ProbeErrorCode.NoArgBody, $"The argument '{name}' has no fetch expression after '='.", text, bodyStart);
        }

        if (body.Length > MaxBodyLength)
        {
            throw Error(ProbeErrorCode.ArgTooLong,
                $"The fetch expression of '{name}' is {body.Length} characters long; the kernel takes at most {MaxBodyLength}.", text, bodyStart, body.Length);
        }

        if (body.StartsWith("$arg*", StringComparison.Ordinal) && (nameGiven || body.Length > 5))
        {
            throw Error(ProbeErrorCode.BadVarArgs,
                "$arg* stands alone: it expands to every argument of the function, each named after its parameter, so it takes no name and no type.", text, bodyStart, Math.Min(5, body.Length));
        }

        (string exprText, ProbeArgumentType type, int typeStart) = ParseType(text, bodyStart, ctx);
        FetchExpression expression = ParseExpression(text, bodyStart, exprText, ctx);
        CheckStorage(text, bodyStart + typeStart, expression, type, exprText.Length > 0 ? bodyStart : 0);
        return new FetchArgument(name, nameGiven, expression, type, body);
    }

    /// <summary>One expression, recursively (parse_probe_arg). <paramref name="start"/> is its index in <paramref name="text"/>.</summary>
    private static FetchExpression ParseExpression(string text, int start, string expr, FetchContext ctx)
    {
        if (expr.Length == 0)
        {
            throw Error(ProbeErrorCode.BadFetchArg, "The fetch expression is empty.", text, start);
        }

        return expr[0] switch
        {
            '$' => ParseVariable(text, start, expr, ctx),
            '%' => ParseRegister(text, start, expr),
            '@' => ParseMemory(text, start, expr, ctx),
            '+' or '-' => ParseDereference(text, start, expr, ctx),
            '\\' => ParseImmediate(text, start, expr),
            _ when char.IsAsciiLetter(expr[0]) || expr[0] == '_' => ParseBtf(text, start, expr, ctx),
            _ => throw Error(ProbeErrorCode.BadFetchArg,
                $"'{expr}' is not a fetch expression. Use %REG, $stackN, $stack, $retval, $comm, $argN, @ADDR, @SYM, @+OFFSET, +|-OFFS(FETCHARG), \\IMM or \\\"STRING\".", text, start, expr.Length),
        };
    }

    private static FetchExpression ParseVariable(string text, int start, string expr, FetchContext ctx)
    {
        string v = expr[1..];
        if (v.StartsWith("retval", StringComparison.Ordinal))
        {
            if (!ctx.IsReturn)
            {
                throw Error(ProbeErrorCode.RetvalOnProbe, "$retval exists only on a return probe: use 'r:' (or '%return') to probe the function's return.", text, start, expr.Length);
            }

            if (v == "retval")
            {
                return ReturnValueFetch.Instance;
            }

            if (ctx.IsKernel && (v[6..].StartsWith("->", StringComparison.Ordinal) || v[6] == '.'))
            {
                return ParseBtf(text, start, expr, ctx);
            }

            throw Error(ProbeErrorCode.BadVar, $"Unexpected text after $retval in '{expr}'.", text, start + 7, expr.Length - 7);
        }

        if (v.StartsWith("stack", StringComparison.Ordinal))
        {
            string n = v[5..];
            if (n.Length == 0)
            {
                return new StackFetch(null);
            }

            if (!KernelNumber.TryParseDecimal(n, out ulong index))
            {
                throw Error(ProbeErrorCode.BadVar, $"'{expr}' is not a stack variable: write $stack (the stack pointer) or $stackN with a decimal N.", text, start, expr.Length);
            }

            if (index > (ctx.IsKernel ? (ulong)MaxStackIndex : int.MaxValue))
            {
                throw Error(ProbeErrorCode.BadStackNum, $"$stack{n} is too deep; the kernel reads at most $stack{MaxStackIndex}.", text, start, expr.Length);
            }

            return new StackFetch((int)index);
        }

        if (v is "comm" or "COMM")
        {
            return new CommFetch(expr);
        }

        if (v.StartsWith("arg", StringComparison.Ordinal))
        {
            string n = v[3..];
            if (n == "*")
            {
                if (!ctx.HasFunctionArguments)
                {
                    throw NoFunctionArguments(text, start, expr, ctx);
                }

                return AllArgumentsFetch.Instance;
            }

            if (!KernelNumber.TryParseDecimal(n, out ulong number))
            {
                throw Error(ProbeErrorCode.BadVar, $"'{expr}' is not a function argument: write $argN with N from 1.", text, start, expr.Length);
            }

            if (number == 0 || number > MaxStackIndex)
            {
                throw Error(ProbeErrorCode.BadArgNum, $"$arg{n}: arguments are counted from 1 to {MaxStackIndex}.", text, start, expr.Length);
            }

            if (!ctx.HasFunctionArguments)
            {
                throw NoFunctionArguments(text, start, expr, ctx);
            }

            return new FunctionArgumentFetch((int)number);
        }

        throw Error(ProbeErrorCode.BadVar, $"Unknown variable '{expr}'. Variables: $retval, $stack, $stackN, $comm, $argN.", text, start, expr.Length);
    }

    private static ProbeValidationException NoFunctionArguments(string text, int start, string expr, FetchContext ctx) =>
        Error(ProbeErrorCode.NofentryArgs,
            ctx.IsKernel
                ? $"{expr} needs the probe on a function's entry (symbol with offset 0) or a return probe."
                : $"{expr} works on kprobes only. On a uprobe, read the argument registers: x86_64 passes them in %di, %si, %dx, %cx, %r8, %r9.",
            text, start, expr.Length);

    private static FetchExpression ParseRegister(string text, int start, string expr)
    {
        string name = expr[1..];
        if (X86Registers.IsKnown(name))
        {
            return new RegisterFetch(name);
        }

        string? hint = X86Registers.Suggest(name);
        string suggestion = hint is null ? "" : $" Did you mean '%{hint}'?";
        throw Error(ProbeErrorCode.BadRegName,
            $"Unknown register '{expr}'. The kernel names x86_64 registers as in pt_regs: {string.Join(", ", X86Registers.Names)}.{suggestion}", text, start, expr.Length);
    }

    private static FetchExpression ParseMemory(string text, int start, string expr, FetchContext ctx)
    {
        string rest = expr[1..];
        if (rest.Length > 0 && char.IsAsciiDigit(rest[0]))
        {
            if (!KernelNumber.TryParseUnsigned(rest, out ulong address))
            {
                throw Error(ProbeErrorCode.BadMemAddr, $"'{rest}' is not an address (decimal, 0x hex or 0 octal).", text, start, expr.Length);
            }

            return new MemoryAddressFetch(address, rest);
        }

        if (rest.StartsWith('+'))
        {
            if (ctx.IsKernel)
            {
                throw Error(ProbeErrorCode.FileOnKprobe, "@+OFFSET reads at a file offset of the probed binary, so it works on uprobes only.", text, start, expr.Length);
            }

            if (!KernelNumber.TryParseSigned(rest[1..], out long offset))
            {
                throw Error(ProbeErrorCode.BadFileOffs, $"'{rest[1..]}' is not a file offset.", text, start, expr.Length);
            }

            return new FileOffsetFetch(offset, rest[1..]);
        }

        if (!ctx.IsKernel)
        {
            throw Error(ProbeErrorCode.SymOnUprobe, "@SYMBOL reads a kernel symbol and works on kprobes only; on a uprobe use @ADDR or @+FILE_OFFSET.", text, start, expr.Length);
        }

        int sign = rest.IndexOfAny(['+', '-']);
        string symbol = sign < 0 ? rest : rest[..sign];
        string offsetText = sign < 0 ? "" : rest[sign..];
        if (!IsKernelSymbol(symbol) || offsetText.Length > 0 && !KernelNumber.TryParseSigned(offsetText, out _))
        {
            throw Error(ProbeErrorCode.BadSymbol, $"'{rest}' is not SYMBOL[+|-OFFSET]: a kernel symbol name, then optionally '+' or '-' and a number.", text, start + 1, Math.Max(1, rest.Length));
        }

        return new SymbolFetch(symbol, offsetText);
    }

    private static FetchExpression ParseDereference(string text, int start, string expr, FetchContext ctx)
    {
        bool user = expr.Length > 1 && expr[1] == 'u';
        int offsetStart = user ? 2 : 1;
        int open = expr.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            throw Error(ProbeErrorCode.DerefNeedBrace, $"A dereference is written +|-OFFSET(FETCHARG); '{expr}' has no '('.", text, start, expr.Length);
        }

        string digits = expr[offsetStart..open];
        string signed = (expr[0] == '-' ? "-" : "") + digits;
        if (digits.Length == 0 || digits[0] is '+' or '-' || !KernelNumber.TryParseSigned(signed, out long offset))
        {
            throw Error(ProbeErrorCode.BadDerefOffs, $"'{expr[..open]}' is not a dereference offset: write a sign and a number, e.g. +0 or -0x8.", text, start, open);
        }

        int close = expr.LastIndexOf(')');
        int innerStart = open + 1;
        if (close < innerStart)
        {
            throw Error(ProbeErrorCode.DerefOpenBrace, "The dereference's '(' is not closed with ')'.", text, start + expr.Length);
        }

        if (close != expr.Length - 1)
        {
            throw Error(ProbeErrorCode.DerefTrailingText,
                $"Unexpected '{expr[(close + 1)..]}' after the dereference's closing brace (the kernel would silently drop it).", text, start + close + 1, expr.Length - close - 1);
        }

        string innerText = expr[innerStart..close];
        FetchExpression inner = ParseExpression(text, start + innerStart, innerText, ctx);
        if (inner is AllArgumentsFetch)
        {
            throw Error(ProbeErrorCode.BadVarArgs, "$arg* stands alone: it expands to every argument of the function and cannot be dereferenced.", text, start + innerStart, innerText.Length);
        }

        if (inner is CommFetch or ImmediateStringFetch)
        {
            throw Error(ProbeErrorCode.CommCantDeref, $"{(inner is CommFetch ? inner.ToString() : "An immediate string")} is a string, not an address, so it cannot be dereferenced.", text, start + innerStart, innerText.Length);
        }

        var deref = new DereferenceFetch(offset, expr[0] + digits, user, inner);
        if (Instructions(deref) > MaxInstructions)
        {
            throw Error(ProbeErrorCode.TooManyOps, "The dereferences are nested too deep: the kernel runs at most 15 fetch steps per argument.", text, start + innerStart, innerText.Length);
        }

        return deref;
    }

    private static FetchExpression ParseImmediate(string text, int start, string expr)
    {
        if (expr.Length > 1 && expr[1] == '"')
        {
            if (expr.Length < 3 || expr[^1] != '"')
            {
                throw Error(ProbeErrorCode.ImmstrNoClose, "The immediate string is not closed with '\"'.", text, start + expr.Length);
            }

            return new ImmediateStringFetch(expr[2..^1]);
        }

        string v = expr[1..];
        bool ok = v.Length > 0 && (char.IsAsciiDigit(v[0])
            ? KernelNumber.TryParseUnsigned(v, out _)
            : v[0] is '-' or '+' && KernelNumber.TryParseSigned(v[0] == '+' ? v[1..] : v, out _));
        if (!ok)
        {
            throw Error(ProbeErrorCode.BadImm, $"'{v}' is not an immediate value: write \\ and a number (\\123, \\0x7b, \\-1) or \\\"a string\".", text, start + 1, Math.Max(1, v.Length));
        }

        ulong value = char.IsAsciiDigit(v[0]) ? Unsigned(v) : unchecked((ulong)Signed(v[0] == '+' ? v[1..] : v));
        return new ImmediateFetch(value, v);
    }

    private static FetchExpression ParseBtf(string text, int start, string expr, FetchContext ctx)
    {
        if (!ctx.HasFunctionArguments)
        {
            throw Error(ProbeErrorCode.NosupBtfarg,
                ctx.IsKernel
                    ? $"'{expr}' names a function parameter, which the kernel finds (from BTF) only at a function's entry or return."
                    : $"'{expr}' is not a fetch expression on a uprobe: parameters by name need kernel BTF. Use registers (%di, %si, ...) or $stackN.",
                text, start, expr.Length);
        }

        // NAME, then ->NAME or .NAME steps; $retval may start it.
        int i = expr.StartsWith("$retval", StringComparison.Ordinal) ? 7 : ReadIdentifier(expr, 0);
        if (i == 0)
        {
            throw Error(ProbeErrorCode.BadFetchArg, $"'{expr}' is not a parameter name.", text, start, expr.Length);
        }

        while (i < expr.Length)
        {
            int step = expr.AsSpan(i).StartsWith("->") ? 2 : expr[i] == '.' ? 1 : 0;
            int next = step == 0 ? i : ReadIdentifier(expr, i + step);
            if (step == 0 || next == i + step)
            {
                throw Error(ProbeErrorCode.BadFetchArg, $"Unexpected '{expr[i..]}' in the parameter path '{expr}': write NAME, NAME->FIELD or NAME.FIELD.", text, start + i, expr.Length - i);
            }

            i = next;
        }

        return new BtfFetch(expr);
    }

    private static int ReadIdentifier(string s, int from)
    {
        int i = from;
        while (i < s.Length && (char.IsAsciiLetter(s[i]) || s[i] == '_' || (i > from && char.IsAsciiDigit(s[i]))))
        {
            i++;
        }

        return i;
    }

    /// <summary>Kernel symbol names: C identifiers, plus '.' for compiler clones (foo.isra.0, foo.cold) and "module:symbol" is not allowed here.</summary>
    internal static bool IsKernelSymbol(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] is '_' or '.') && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$');

    private static ulong Unsigned(string s) => KernelNumber.TryParseUnsigned(s, out ulong v) ? v : 0;

    private static long Signed(string s) => KernelNumber.TryParseSigned(s, out long v) ? v : 0;

    private static ProbeValidationException Error(ProbeErrorCode code, string reason, string text, int position, int length = 1) =>
        new(code, reason, text, position, length);
}
