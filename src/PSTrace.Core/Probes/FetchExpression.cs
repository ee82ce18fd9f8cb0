using System.Globalization;

namespace PSTrace.Core.Probes;

/// <summary>
/// Where a fetch-arg takes its value from: the part of "name=EXPR:type" before the type.
/// Each kind prints itself back in the kernel's syntax.
/// </summary>
public abstract class FetchExpression
{
    private protected FetchExpression()
    {
    }

    /// <summary>True when the value is an address the kernel reads memory at (a string type needs one).</summary>
    public virtual bool IsMemoryReference => false;

    /// <summary>The expression in the kernel's syntax.</summary>
    public abstract override string ToString();
}

/// <summary>%REG: a register of the probed context, by the kernel's pt_regs name (x86_64: ax, di, r8...).</summary>
public sealed class RegisterFetch : FetchExpression
{
    public RegisterFetch(string register) => Register = register;

    public string Register { get; }

    public override string ToString() => "%" + Register;
}

/// <summary>$stack: the stack pointer. $stackN: the Nth word on the stack.</summary>
public sealed class StackFetch : FetchExpression
{
    public StackFetch(int? index) => Index = index;

    /// <summary>Null for $stack itself (the address), N for $stackN (the value there).</summary>
    public int? Index { get; }

    public override string ToString() => Index is int i ? "$stack" + i.ToString(CultureInfo.InvariantCulture) : "$stack";
}

/// <summary>$retval: the return value (return probes only).</summary>
public sealed class ReturnValueFetch : FetchExpression
{
    public static ReturnValueFetch Instance { get; } = new();

    private ReturnValueFetch()
    {
    }

    public override string ToString() => "$retval";
}

/// <summary>$comm: the current task's command name, stored as a string.</summary>
public sealed class CommFetch : FetchExpression
{
    public CommFetch(string spelling) => Spelling = spelling;

    /// <summary>"$comm" or "$COMM" (the kernel takes both).</summary>
    public string Spelling { get; }

    public override string ToString() => Spelling;
}

/// <summary>$argN: the Nth function argument (kprobes at a function entry, and kretprobes), counted from 1.</summary>
public sealed class FunctionArgumentFetch : FetchExpression
{
    public FunctionArgumentFetch(int number) => Number = number;

    public int Number { get; }

    public override string ToString() => "$arg" + Number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>$arg*: every argument of the function, by the names its BTF gives (kprobes with BTF only).</summary>
public sealed class AllArgumentsFetch : FetchExpression
{
    public static AllArgumentsFetch Instance { get; } = new();

    private AllArgumentsFetch()
    {
    }

    public override string ToString() => "$arg*";
}

/// <summary>@ADDR: the memory at a fixed address.</summary>
public sealed class MemoryAddressFetch : FetchExpression
{
    public MemoryAddressFetch(ulong address, string text)
    {
        Address = address;
        Text = text;
    }

    public ulong Address { get; }

    /// <summary>The address as it was written (kept, because the kernel lists the definition back as written).</summary>
    public string Text { get; }

    public override bool IsMemoryReference => true;

    public override string ToString() => "@" + Text;
}

/// <summary>@SYM[+|-OFFS]: the memory at a kernel data symbol (kprobes only).</summary>
public sealed class SymbolFetch : FetchExpression
{
    public SymbolFetch(string symbol, string offsetText)
    {
        Symbol = symbol;
        OffsetText = offsetText;
    }

    public string Symbol { get; }

    /// <summary>"+16", "-0x10" or empty.</summary>
    public string OffsetText { get; }

    public override bool IsMemoryReference => true;

    public override string ToString() => "@" + Symbol + OffsetText;
}

/// <summary>@+OFFSET: the memory at a file offset of the probed binary (uprobes only).</summary>
public sealed class FileOffsetFetch : FetchExpression
{
    public FileOffsetFetch(long offset, string text)
    {
        Offset = offset;
        Text = text;
    }

    public long Offset { get; }

    public string Text { get; }

    public override bool IsMemoryReference => true;

    public override string ToString() => "@+" + Text;
}

/// <summary>+|-[u]OFFS(INNER): the memory at INNER's value plus OFFS; 'u' reads user memory from a kprobe.</summary>
public sealed class DereferenceFetch : FetchExpression
{
    public DereferenceFetch(long offset, string offsetText, bool userMemory, FetchExpression inner)
    {
        Offset = offset;
        OffsetText = offsetText;
        UserMemory = userMemory;
        Inner = inner;
    }

    public long Offset { get; }

    /// <summary>The offset as written, with its sign ("+0", "-8", "+0x10").</summary>
    public string OffsetText { get; }

    public bool UserMemory { get; }

    public FetchExpression Inner { get; }

    /// <summary>How many memory reads the expression makes, counting nested dereferences.</summary>
    public int Depth => 1 + (Inner is DereferenceFetch d ? d.Depth : 0);

    public override bool IsMemoryReference => true;

    public override string ToString() =>
        (UserMemory ? OffsetText[0] + "u" + OffsetText[1..] : OffsetText) + "(" + Inner + ")";
}

/// <summary>\IMM: a constant stored in every record.</summary>
public sealed class ImmediateFetch : FetchExpression
{
    public ImmediateFetch(ulong value, string text)
    {
        Value = value;
        Text = text;
    }

    public ulong Value { get; }

    public string Text { get; }

    public override string ToString() => "\\" + Text;
}

/// <summary>\"TEXT": a constant string stored in every record.</summary>
public sealed class ImmediateStringFetch : FetchExpression
{
    public ImmediateStringFetch(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => "\\\"" + Value + "\"";
}

/// <summary>
/// A function parameter by name, with optional ->field and .field steps ("file->f_path.dentry", "$retval->name"):
/// the kernel resolves it from BTF at a kprobe's function entry or return. Whether the names exist only the kernel can say.
/// </summary>
public sealed class BtfFetch : FetchExpression
{
    public BtfFetch(string path) => Path = path;

    public string Path { get; }

    public override string ToString() => Path;
}
