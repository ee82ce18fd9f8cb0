using PSTrace.Core.Records;
using PSTrace.Core.Tools;
using PSTrace.Core.Tools.Open;

namespace PSTrace.Tests.Tools;

/// <summary>The names and texts the watch tools give numbers: flags, errnos, command patterns, shell quoting.</summary>
public class ToolTextTests
{
    [Theory]
    [InlineData(0, "O_RDONLY")]
    [InlineData(0x80000, "O_RDONLY|O_CLOEXEC")]
    [InlineData(0x241, "O_WRONLY|O_CREAT|O_TRUNC")]
    [InlineData(0x80241, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC")]
    [InlineData(0x98800, "O_RDONLY|O_NONBLOCK|O_LARGEFILE|O_DIRECTORY|O_CLOEXEC")]
    [InlineData(0x101002, "O_RDWR|O_SYNC")]
    [InlineData(0x1002, "O_RDWR|O_DSYNC")]
    [InlineData(0x410002, "O_RDWR|O_TMPFILE")]
    [InlineData(0x200000, "O_RDONLY|O_PATH")]
    [InlineData(0x4000 | 0x1, "O_WRONLY|O_DIRECT")]
    [InlineData(0x1000000 | 0x2, "O_RDWR|0x1000000")]
    public void Open_flags_by_name(int flags, string expected) => Assert.Equal(expected, OpenFlagsText.Format(flags));

    [Theory]
    [InlineData(-2, "ENOENT")]
    [InlineData(2, "ENOENT")]
    [InlineData(-13, "EACCES")]
    [InlineData(-111, "ECONNREFUSED")]
    [InlineData(-115, "EINPROGRESS")]
    [InlineData(-512, "ERESTARTSYS")]
    [InlineData(-4000, "E4000")]
    public void Errno_names(long value, string expected) => Assert.Equal(expected, ErrnoNames.NameOf(value));

    [Theory]
    [InlineData(0, null)]
    [InlineData(3, null)]
    [InlineData(-2, "ENOENT")]
    [InlineData(-4095, "E4095")]
    [InlineData(-4096, null)]
    public void Only_minus_4095_to_minus_1_is_an_error_return(long value, string? expected) => Assert.Equal(expected, ErrnoNames.FromReturnValue(value));

    [Theory]
    [InlineData("bash", "[bB][aA][sS][hH]")]
    [InlineData("tr?e", "[tT][rR]?[eE]")]
    [InlineData("kworker/*", "[kK][wW][oO][rR][kK][eE][rR]/*")]
    [InlineData("[a-c]sh", "[a-cA-C][sS][hH]")]
    [InlineData("systemd-journald", "[sS][yY][sS][tT][eE][mM][dD]-[jJ][oO][uU][rR][nN][aA][lL]")]
    [InlineData("a`*b", "[aA][*][bB]")]
    [InlineData("x.1", "[xX].1")]
    public void Command_patterns_become_case_insensitive_kernel_globs(string pattern, string glob) =>
        Assert.Equal(glob, CommandPattern.Parse(pattern).KernelGlob);

    [Theory]
    [InlineData("bash", "bash", true)]
    [InlineData("bash", "BASH", true)]
    [InlineData("bash", "bashx", false)]
    [InlineData("tr?e", "true", true)]
    [InlineData("kworker/*", "kworker/0:1H", true)]
    [InlineData("[a-c]sh", "csh", true)]
    [InlineData("[a-c]sh", "zsh", false)]
    [InlineData("systemd-journald", "systemd-journal", true)]
    [InlineData("a`*b", "a*b", true)]
    [InlineData("a`*b", "axb", false)]
    public void Command_patterns_match_in_user_space_as_the_kernel_does(string pattern, string comm, bool match) =>
        Assert.Equal(match, CommandPattern.Parse(pattern).IsMatch(comm));

    [Theory]
    [InlineData("a\"b")]
    [InlineData("a'b")]
    [InlineData("a\\b")]
    [InlineData("a\nb")]
    [InlineData("[abc")]
    public void Command_patterns_a_filter_cannot_hold_are_refused(string pattern) =>
        Assert.Throws<PSTrace.Core.Tracefs.TraceException>(() => CommandPattern.Parse(pattern));

    [Fact]
    public void The_kernel_filter_joins_patterns_with_or()
    {
        var filter = new WatchFilter(commands: ["ls", "cat"]);
        Assert.Equal("COMM ~ \"[lL][sS]\" || COMM ~ \"[cC][aA][tT]\"", filter.KernelCommandFilter());
        Assert.Null(WatchFilter.None.KernelCommandFilter());
        Assert.True(filter.MatchesCommand("CAT"));
        Assert.False(filter.MatchesCommand("dog"));
        Assert.False(filter.MatchesCommand(null));
        Assert.True(WatchFilter.None.MatchesCommand(null));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/usr/bin/x", "/usr/bin/x")]
    [InlineData("--opt=1,2", "--opt=1,2")]
    [InlineData("two words", "'two words'")]
    [InlineData("", "''")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData(null, "?")]
    public void Arguments_are_quoted_as_a_shell_reads_them_back(string? argument, string expected) =>
        Assert.Equal(expected, ShellQuoting.Quote(argument));
}
