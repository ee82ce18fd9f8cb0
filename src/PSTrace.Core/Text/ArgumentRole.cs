namespace PSTrace.Core.Text;

/// <summary>What a print fmt argument tells about the field it prints.</summary>
internal enum ArgumentRole
{
    /// <summary>No field, or more than one: the printed value is not kept.</summary>
    None,

    /// <summary>The field itself, maybe cast: REC->x, (u64)REC->x, __get_str(x).</summary>
    Plain,

    /// <summary>One element of an array field: REC->args[2].</summary>
    Element,

    /// <summary>MAJOR() of a dev_t: ((REC->dev) >> 20).</summary>
    Major,

    /// <summary>MINOR() of a dev_t: ((REC->dev) &amp; ((1U &lt;&lt; 20) - 1)).</summary>
    Minor,

    /// <summary>Any other expression of one field (__print_symbolic, __print_flags, shifts): kept as text when printed with %s.</summary>
    Derived,
}
