using PSTrace.Core.Streaming;
using System.Text;
using PSTrace.Core.Binary;
using PSTrace.Core.Records;
using PSTrace.Core.Text;
using PSTrace.Core.Tracefs;

namespace PSTrace.Tests.Streaming;

/// <summary>
/// What SavedTraceFile opens and refuses, over real files of this machine (/dev/zero, /bin/ls, /etc/passwd)
/// and files made for the test (a directory, a named pipe, one huge line).
/// </summary>
public sealed class SavedTraceFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pstrace-saved-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TraceException Refusal(string path, bool allowFifo = true) =>
        Assert.Throws<TraceException>(() => SavedTraceFile.Open(path, allowFifo, CancellationToken.None).Dispose());

    [Fact]
    public void A_device_is_refused_before_it_is_read()
    {
        TraceException e = Refusal("/dev/zero");
        Assert.Equal("TraceFileNotRegular", e.ErrorId);
        Assert.Equal(TraceErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("/dev/zero", e.Target);
    }

    [Fact]
    public void A_directory_is_refused_with_its_own_error()
    {
        TraceException e = Refusal(_dir);
        Assert.Equal("TraceFileIsDirectory", e.ErrorId);
        Assert.Contains("wildcard", e.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/bin/ls")]
    [InlineData("/etc/passwd")]
    public void A_file_that_is_no_trace_is_refused_naming_it(string path)
    {
        TraceException e = Refusal(path);
        Assert.Equal("TraceFileNotTrace", e.ErrorId);
        Assert.Equal(TraceErrorKind.InvalidData, e.Kind);
        Assert.StartsWith(path + " is neither a trace.dat file nor trace text", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_longer_than_any_trace_line_stops_the_read_with_an_error()
    {
        string file = Path.Combine(_dir, "long.txt");
        string prefix = File.ReadLines(Fixtures.PathOf("6.18/trace_pipe.txt")).First() + "\n";
        File.WriteAllText(file, prefix + new string('a', BoundedLineReader.MaxLineLength + 1) + "\n");
        using SavedTraceFile saved = SavedTraceFile.Open(file, allowFifo: false, CancellationToken.None);
        var records = new List<object>();
        TraceException e = Assert.Throws<TraceException>(() =>
        {
            foreach (object r in saved.Text!.Read())
            {
                records.Add(r);
            }
        });
        Assert.Equal("TraceLineTooLong", e.ErrorId);
        Assert.Contains("line 2 ", e.Message, StringComparison.Ordinal);
        Assert.Single(records);
    }

    [Fact]
    public void Lines_of_no_known_shape_in_a_trace_are_kept_and_counted()
    {
        string file = Path.Combine(_dir, "mixed.txt");
        string[] lines = File.ReadLines(Fixtures.PathOf("6.18/trace_pipe.txt")).Take(5).ToArray();
        File.WriteAllLines(file, lines.Take(2).Append("garbage here").Concat(lines.Skip(2)).Append("more garbage"));
        using SavedTraceFile saved = SavedTraceFile.Open(file, allowFifo: false, CancellationToken.None);
        List<object> records = saved.Text!.Read().ToList();
        Assert.Equal(7, records.Count);
        Assert.Equal(2, saved.Text.UnknownLines);
        Assert.Equal("garbage here", records.OfType<TraceEvent>().First(e => e.Cpu == -1).Line);
    }

    [Fact]
    public void An_empty_file_is_an_empty_trace()
    {
        string file = Path.Combine(_dir, "empty.txt");
        File.WriteAllText(file, "");
        using SavedTraceFile saved = SavedTraceFile.Open(file, allowFifo: false, CancellationToken.None);
        Assert.Empty(saved.Text!.Read());
    }

    [Fact]
    public void A_trace_dat_is_opened_as_one_whatever_its_name()
    {
        string file = Path.Combine(_dir, "capture.txt");
        File.Copy(Fixtures.PathOf("6.18/tracedat-v7-none.dat"), file);
        using SavedTraceFile saved = SavedTraceFile.Open(file, allowFifo: false, CancellationToken.None);
        Assert.NotNull(saved.TraceDat);
        Assert.Null(saved.Text);
    }

    [Fact]
    public async Task A_named_pipe_is_read_when_allowed_and_its_wait_ends_on_cancellation()
    {
        string fifo = MakeFifo("pipe");
        Assert.Equal("TraceFileNotRegular", Refusal(fifo, allowFifo: false).ErrorId);

        using var cancel = new CancellationTokenSource();
        var open = Task.Run(() => SavedTraceFile.Open(fifo, allowFifo: true, cancel.Token));
        await Task.Delay(300);
        Assert.False(open.IsCompleted); // no writer yet: waiting, as cat would
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open.WaitAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_named_pipe_gives_what_its_writer_sends()
    {
        string fifo = MakeFifo("pipe2");
        string[] lines = File.ReadLines(Fixtures.PathOf("6.18/trace_pipe.txt")).Take(10).ToArray();
        var writer = Task.Run(() => File.WriteAllText(fifo, string.Join('\n', lines) + "\n", Encoding.UTF8));
        using SavedTraceFile saved = SavedTraceFile.Open(fifo, allowFifo: true, CancellationToken.None);
        Assert.Equal(10, saved.Text!.Read().OfType<TraceEvent>().Count());
        await writer.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private string MakeFifo(string name)
    {
        string path = Path.Combine(_dir, name);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path);
        mkfifo.WaitForExit();
        return path;
    }
}
