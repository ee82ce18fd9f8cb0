using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>The type after an argument's ':' and whether its expression fits that type, as the kernel checks them.</summary>
internal static partial class FetchArgumentParser
{
    /// <summary>Splits "EXPR:TYPE[N]" at the first ':' and reads the type (parse_probe_arg_type).</summary>
    private static (string Expr, ProbeArgumentType Type, int TypeStart) ParseType(string text, int bodyStart, FetchContext ctx)
    {
        string body = text[bodyStart..];
        int colon = body.IndexOf(':', StringComparison.Ordinal);
        string expr = colon < 0 ? body : body[..colon];
        string? typeText = colon < 0 ? null : body[(colon + 1)..];
        int typeStart = colon + 1;
        int arrayLength = 0;
        if (typeText is not null)
        {
            int open = typeText.IndexOf('[', StringComparison.Ordinal);
            if (open >= 0)
            {
                int close = typeText.IndexOf(']', open + 1);
                int countStart = bodyStart + typeStart + open + 1;
                if (close < 0)
                {
                    throw Error(ProbeErrorCode.ArrayNoClose, "The array size is not closed with ']'.", text, text.Length);
                }

                if (close != typeText.Length - 1)
                {
                    throw Error(ProbeErrorCode.BadArraySuffix, "Nothing may follow the array size's ']'.", text, bodyStart + typeStart + close + 1, typeText.Length - close - 1);
                }

                string count = typeText[(open + 1)..close];
                if (!KernelNumber.TryParseUnsigned(count, out ulong n) || n == 0 || n > uint.MaxValue)
                {
                    throw Error(ProbeErrorCode.BadArrayNum, $"The array size '{count}' is not a whole number of at least 1.", text, countStart, Math.Max(1, count.Length));
                }

                if (n > MaxArrayLength)
                {
                    throw Error(ProbeErrorCode.ArrayTooBig, $"The array size {n} is too big; the kernel takes at most {MaxArrayLength} elements.", text, countStart, count.Length);
                }

                arrayLength = (int)n;
                typeText = typeText[..open];
            }
        }

        int typePos = bodyStart + (colon < 0 ? 0 : typeStart);
        if (expr is "$comm" or "$COMM" || expr.StartsWith("\\\"", StringComparison.Ordinal))
        {
            if (arrayLength > 0 || typeText is not null && typeText != "string")
            {
                throw Error(ProbeErrorCode.NeedStringType, $"{(expr.StartsWith('$') ? expr : "An immediate string")} is stored as a string: give it no type, or ':string' (and no array).", text, typePos, Math.Max(1, body.Length - (typePos - bodyStart)));
            }

            return (expr, ProbeArgumentType.String, typeStart);
        }

        ProbeArgumentType? type = typeText is null ? ProbeArgumentType.Default : ProbeArgumentType.FromName(typeText);
        if (type is null)
        {
            throw Error(ProbeErrorCode.BadType, $"Unknown type '{typeText}'. Types: s8..s64, u8..u64, x8..x64, char, string, ustring, symbol, symstr, b<width>@<offset>/<container>, %pd, %pD, and <type>[N] arrays.", text, typePos, Math.Max(1, typeText!.Length));
        }

        if (!ctx.IsKernel && type.Kind is ProbeTypeKind.Symbol or ProbeTypeKind.SymbolString or ProbeTypeKind.DentryName or ProbeTypeKind.FileName)
        {
            throw Error(ProbeErrorCode.BadType, $"The type '{typeText}' works on kprobes only: it reads kernel symbols or kernel structures.", text, typePos, typeText!.Length);
        }

        if (arrayLength > 0 && type.Kind is ProbeTypeKind.DentryName or ProbeTypeKind.FileName)
        {
            throw Error(ProbeErrorCode.BadType, $"The type '{typeText}' cannot be an array.", text, typePos, typeText!.Length);
        }

        return (expr, arrayLength > 0 ? type.WithArrayLength(arrayLength) : type, typeStart);
    }

    /// <summary>Checks the type against the expression, as the kernel's finalize_fetch_insn does, and counts fetch steps.</summary>
    private static void CheckStorage(string text, int typePos, FetchExpression expr, ProbeArgumentType type, int exprPos)
    {
        int typeLength = Math.Max(1, text.Length - typePos);
        if (type.Kind == ProbeTypeKind.SymbolString)
        {
            bool ok = expr is RegisterFetch or ReturnValueFetch or FunctionArgumentFetch or BtfFetch or MemoryAddressFetch or SymbolFetch
                || expr is StackFetch { Index: not null } || expr is DereferenceFetch { UserMemory: false };
            if (!ok)
            {
                throw Error(ProbeErrorCode.BadSymstring, $"symstr prints a kernel address as a symbol; '{expr}' is not a kernel address value.", text, typePos, typeLength);
            }
        }
        else if (type.Kind is ProbeTypeKind.String or ProbeTypeKind.UserString)
        {
            bool ok = expr.IsMemoryReference || expr is ImmediateFetch or CommFetch or ImmediateStringFetch or BtfFetch;
            if (!ok)
            {
                throw Error(ProbeErrorCode.BadString,
                    $"A string is read from memory: '{expr}' is a value, not memory. Dereference it, e.g. +0({expr}):{type.ToString().Split('[')[0]}.", text, typePos, typeLength);
            }
        }

        string? bitfield = type.BitfieldProblem();
        if (bitfield is not null)
        {
            throw Error(ProbeErrorCode.BadBitfield, bitfield, text, typePos, typeLength);
        }

        if (type.IsArray && !(expr.IsMemoryReference && expr is not DereferenceFetch { UserMemory: true } || expr is BtfFetch) || type.IsArray && type.Kind == ProbeTypeKind.SymbolString)
        {
            throw Error(ProbeErrorCode.BadString, $"An array is read from kernel or process memory: '{expr}' is not a memory reference the kernel can read an array from.", text, typePos, typeLength);
        }

        // The store step is extra unless it replaces a final dereference; strings of values (immediates, $comm) and arrays of strings keep the value and add one.
        bool endsInMemory = expr.IsMemoryReference && !(type.IsString && type.IsArray) && type.Kind != ProbeTypeKind.SymbolString;
        int slots = Instructions(expr) + (endsInMemory ? 0 : 1) + (type.Kind == ProbeTypeKind.Bitfield ? 1 : 0) + (type.IsArray ? 1 : 0);
        if (slots > MaxInstructions)
        {
            throw Error(ProbeErrorCode.TooManyOps, "The argument needs more than the 15 fetch steps the kernel runs per argument; nest fewer dereferences.", text, exprPos, Math.Max(1, typePos - exprPos));
        }
    }

    /// <summary>Fetch instructions the kernel emits for the expression before the store (FETCH_OP_* count).</summary>
    private static int Instructions(FetchExpression e) => e switch
    {
        DereferenceFetch d => Instructions(d.Inner) + 1,
        SymbolFetch => 3,
        MemoryAddressFetch or FileOffsetFetch => 2,
        _ => 1,
    };
}
