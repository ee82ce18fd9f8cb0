using System.Globalization;
using PSTrace.Core.Probes.Elf;
using PSTrace.Core.Profiling;
using PSTrace.Tests.Probes;

namespace PSTrace.Tests.Profiling;

/// <summary>
/// File offsets named by the functions of real ELF files: programs gcc builds here (a PIE and a fixed-address one),
/// with the addresses nm prints as the reference, and the C library as installed.
/// </summary>
public sealed class ElfFunctionsTests
{
    [NeedsGccFact]
    public void A_pie_and_a_fixed_address_program_name_their_functions_at_their_file_offsets()
    {
        TestPrograms programs = TestPrograms.Instance!;
        foreach (string program in new[] { programs.Pie, programs.NonPie })
        {
            var image = ElfImage.Load(program);
            var functions = new ElfFunctions(image);
            foreach (string name in new[] { "pstrace_target", "main" })
            {
                ulong address = NmAddress(program, name);
                ulong offset = image.FileOffsetOf(address)!.Value;
                Assert.Equal(name, functions.FunctionAt(offset));
                Assert.Equal(name, functions.FunctionAt(offset + 1));
            }

            // The ELF header is in the first load segment, but no function is there.
            Assert.Null(functions.FunctionAt(0x10));
        }
    }

    [Fact]
    public void The_c_library_names_an_exported_function_from_its_dynamic_symbols()
    {
        string libc = "/lib/x86_64-linux-gnu/libc.so.6";
        var image = ElfImage.Load(libc);
        ElfSymbol getpid = image.Symbols.First(s => s.Name == "getpid" && s.IsFunction);
        ulong offset = image.FileOffsetOf(getpid.Value)!.Value;
        string? named = new ElfFunctions(image).FunctionAt(offset + 2);
        // getpid has aliases at the same address (__getpid): any of them is the function.
        Assert.Contains(named, image.Symbols.Where(s => s.Value == getpid.Value).Select(s => s.Name));
    }

    [Fact]
    public void A_file_that_is_not_elf_loads_as_nothing()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an ELF file");
            Assert.Null(ElfFunctions.TryLoad(path));
            Assert.Null(ElfFunctions.TryLoad(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The symbol's address as binutils' nm prints it ("0000000000001139 T main").</summary>
    internal static ulong NmAddress(string program, string name)
    {
        string line = ToolRunner.Run("nm", program).Split('\n').First(l => l.EndsWith(" " + name, StringComparison.Ordinal));
        return ulong.Parse(line.Split(' ')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
