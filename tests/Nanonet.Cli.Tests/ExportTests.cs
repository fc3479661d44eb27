using System.Diagnostics;
using System.IO.Hashing;

namespace Nanonet.Cli.Tests;

/// <summary>
/// <c>nanonet export --c-array</c>: the generated C compiles (gcc, C99, every warning an error), and a program linked
/// with it finds the array 16-byte aligned, its size and CRC-32 macros equal to the .nnb's, a CRC it computes itself
/// equal to the macro, and writes back exactly the .nnb's bytes.
/// </summary>
public sealed class ExportTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Model => Path.Combine(TestPaths.Models, "person_detect.nnb");

    /// <summary>A check program of the test's own: CRC-32 bit by bit (independent of the exporter's), alignment, size.</summary>
    private const string CheckProgram = """
        #include <stdint.h>
        #include <stdio.h>
        #include "person-detect.h"

        static uint32_t crc32_bitwise(const uint8_t *p, uint32_t n)
        {
            uint32_t crc = 0xFFFFFFFFu, i;
            int k;
            for (i = 0; i < n; i++) {
                crc ^= p[i];
                for (k = 0; k < 8; k++) {
                    crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
                }
            }
            return ~crc;
        }

        int main(int argc, char **argv)
        {
            FILE *f;
            if (argc != 2) {
                return 2;
            }
            if (((uintptr_t)person_detect & 15u) != 0) {
                printf("misaligned\n");
                return 1;
            }
            if (sizeof(person_detect) != PERSON_DETECT_SIZE) {
                printf("size\n");
                return 1;
            }
            if (crc32_bitwise(person_detect, PERSON_DETECT_SIZE) != PERSON_DETECT_CRC32) {
                printf("crc\n");
                return 1;
            }
            f = fopen(argv[1], "wb");
            if (f == NULL || fwrite(person_detect, 1, PERSON_DETECT_SIZE, f) != PERSON_DETECT_SIZE || fclose(f) != 0) {
                return 1;
            }
            printf("%u 0x%08X\n", (unsigned)PERSON_DETECT_SIZE, (unsigned)PERSON_DETECT_CRC32);
            return 0;
        }
        """;

    private static (int Code, string Output) Exec(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [Fact]
    public void TheArrayCompilesLinksAlignedAndHoldsTheModel()
    {
        var source = _tmp.File("person-detect.c");
        var (code, stdout, stderr) = CliRunner.Run("export", Model, "--c-array", source);
        Assert.True(code == 0, stderr);
        var blob = File.ReadAllBytes(Model);
        uint crc = Crc32.HashToUInt32(blob);
        Assert.Contains($"person_detect, {blob.Length} bytes, CRC-32 0x{crc:X8}", stdout);
        Assert.True(File.Exists(_tmp.File("person-detect.h")));
        Assert.Contains($"#define PERSON_DETECT_SIZE {blob.Length}u", File.ReadAllText(_tmp.File("person-detect.h")));

        var main = _tmp.File("check.c");
        File.WriteAllText(main, CheckProgram);
        var exe = _tmp.File("check");
        var (cc, ccOut) = Exec("gcc", "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-O1", "-I", _tmp.Path, "-o", exe, main, source);
        Assert.True(cc == 0, "gcc: " + ccOut);
        var back = _tmp.File("back.nnb");
        var (run, runOut) = Exec(exe, back);
        Assert.True(run == 0, "check program: " + runOut);
        Assert.Equal($"{blob.Length} 0x{crc:X8}", runOut.Trim());
        Assert.Equal(blob, File.ReadAllBytes(back));

        // the exported bytes are a model the engine runs: the CLI classifies with them as it does with the .nnb
        var picture = Path.Combine(TestPaths.Samples, "person.png");
        var fromNnb = CliRunner.Run("run", Model, picture, "--format", "raw");
        var fromArray = CliRunner.Run("run", back, picture, "--format", "raw");
        Assert.True(fromNnb.Code == 0 && fromArray.Code == 0, fromNnb.Err + fromArray.Err);
        Assert.Matches(@"-?\d+ -?\d+", fromArray.Out);
        Assert.Equal(fromNnb.Out, fromArray.Out);
    }

    [Fact]
    public void BadNamesAndPlacesAreRefusedBeforeAnythingIsWritten()
    {
        Assert.Contains("is not a C identifier", CliRunner.AssertOneLineError(CliRunner.Run("export", Model, "--c-array", _tmp.File("m.c"), "--name", "9lives")));
        Assert.Contains("is not a C identifier", CliRunner.AssertOneLineError(CliRunner.Run("export", Model, "--c-array", _tmp.File("m.c"), "--name", "int")));
        Assert.Contains("name a .c file", CliRunner.AssertOneLineError(CliRunner.Run("export", Model, "--c-array", _tmp.File("m.txt"))));
        Assert.Contains("is a folder", CliRunner.AssertOneLineError(CliRunner.Run("export", Model, "--c-array", Directory.CreateDirectory(_tmp.File("d.c")).FullName)));
        Assert.Contains("--c-array", CliRunner.AssertOneLineError(CliRunner.Run("export", Model)));
        var broken = _tmp.File("broken.nnb");
        File.WriteAllBytes(broken, [1, 2, 3]);
        Assert.Contains("invalid", CliRunner.AssertOneLineError(CliRunner.Run("export", broken, "--c-array", _tmp.File("b.c"))));
        Assert.False(File.Exists(_tmp.File("m.c")));
        Assert.False(File.Exists(_tmp.File("b.c")));
        Assert.False(File.Exists(_tmp.File("b.h")));
    }

    [Theory]
    [InlineData("person_detect.c", "person_detect")]
    [InlineData("models/person-detect v2.c", "person_detect_v2")]
    [InlineData("96x96.c", "model_96x96")]
    [InlineData("static.c", "model_static")]
    public void TheDefaultSymbolIsTheFileNameMadeAnIdentifier(string path, string symbol)
    {
        Assert.Equal(symbol, Nanonet.Packing.CArrayExport.SymbolFor(path));
        Assert.True(Nanonet.Packing.CArrayExport.IsValidSymbol(symbol));
    }
}
