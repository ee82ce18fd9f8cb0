using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>The body of a graph line: a call, an exit, their function names and return values.</summary>
public sealed partial class FunctionGraphLineParser
{
    // "}", "} /* func */", "} /* func [mod] */", "} /* func = -5 */" (6.5-6.12), "} /* func ret=0x0 */" (later)
    private FunctionGraphLine ParseExit(ReadOnlySpan<char> body, FunctionGraphLine line)
    {
        line = line with { Kind = FunctionGraphLineKind.Exit };
        ReadOnlySpan<char> rest = body[1..].Trim();
        if (rest.IsEmpty)
        {
            return line;
        }

        if (!rest.StartsWith("/*") || !rest.EndsWith("*/"))
        {
            return line with { Kind = FunctionGraphLineKind.Unrecognized };
        }

        ReadOnlySpan<char> comment = rest[2..^2].Trim();
        ReadOnlySpan<char> name = SplitReturnValue(comment, out long? value);
        return WithName(line, name) with { ReturnValue = value };
    }

    // "func() {", "func();", "func [mod]() {", "func(); /* = 0x0 */", "func(args) {" (funcgraph-args)
    private FunctionGraphLine ParseCall(ReadOnlySpan<char> body, FunctionGraphLine line)
    {
        long? value = null;
        int comment = body.IndexOf(" /*");
        if (comment > 0 && body.EndsWith("*/"))
        {
            SplitReturnValue(body[(comment + 3)..^2].Trim(), out value);
            body = body[..comment].TrimEnd();
        }

        FunctionGraphLineKind kind;
        if (body.EndsWith("{"))
        {
            kind = FunctionGraphLineKind.Entry;
        }
        else if (body.EndsWith(";"))
        {
            kind = FunctionGraphLineKind.Leaf;
        }
        else
        {
            return line;
        }

        int paren = body.IndexOf('(');
        if (paren <= 0)
        {
            return line;
        }

        return WithName(line, body[..paren].TrimEnd()) with { Kind = kind, ReturnValue = value };
    }

    // Splits "func = -5", "func ret=0x0", "<-caller+0x1/0x2 ret=0x0", "= 0x0" into the name part and the value.
    private static ReadOnlySpan<char> SplitReturnValue(ReadOnlySpan<char> comment, out long? value)
    {
        value = null;
        int at = comment.IndexOf("ret=");
        int valueStart = at + 4;
        if (at < 0 || at > 0 && comment[at - 1] != ' ')
        {
            at = comment.StartsWith("= ") ? 0 : comment.IndexOf(" = ");
            valueStart = at < 0 ? -1 : at + (comment.StartsWith("= ") ? 2 : 3);
        }

        if (at < 0)
        {
            return comment;
        }

        ReadOnlySpan<char> text = comment[valueStart..].Trim();
        int end = text.IndexOf(' ');
        if (TextNumber.TryParseReturnValue(end < 0 ? text : text[..end], out long v))
        {
            value = v;
        }

        ReadOnlySpan<char> name = comment[..at].Trim();
        int caller = name.IndexOf("<-");
        return caller >= 0 ? name[..caller].TrimEnd() : name;
    }

    private FunctionGraphLine WithName(FunctionGraphLine line, ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return line;
        }

        // "p9_client_rpc [9pnet]": %ps names a module's function this way
        string? module = null;
        if (name.EndsWith("]"))
        {
            int open = name.LastIndexOf(" [");
            if (open > 0)
            {
                module = _names.Get(name[(open + 2)..^1]);
                name = name[..open];
            }
        }

        return line with { Function = _names.Get(name), Module = module };
    }
}
