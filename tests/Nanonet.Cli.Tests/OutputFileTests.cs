using Nanonet.Cli;
using Nanonet.Native;

namespace Nanonet.Cli.Tests;

/// <summary>The default output of pack and quantize: MODEL's name with .nnb, in the current directory.</summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void AnExplicitOutputIsUsedAsGiven()
    {
        Assert.Equal("x/y.bin", OutputFile.Resolve("x/y.bin", "../m/net.tflite", _tmp.Path));
    }

    [Fact]
    public void TheDefaultIsTheModelNameWithNnbInTheDirectory()
    {
        Assert.Equal(_tmp.File("net_float.nnb"), OutputFile.Resolve(null, "../some/where/net_float.tflite", _tmp.Path));
        Assert.Equal(_tmp.File("plain.nnb"), OutputFile.Resolve(null, "plain", _tmp.Path));
    }

    [Fact]
    public void TheDefaultReplacesAnEarlierPackedModel()
    {
        File.WriteAllBytes(_tmp.File("net.nnb"), [.. "NNET"u8, 1, 0, 0, 0]);
        Assert.Equal(_tmp.File("net.nnb"), OutputFile.Resolve(null, "net.tflite", _tmp.Path));
    }

    [Fact]
    public void TheDefaultNeverReplacesAnotherKindOfFile()
    {
        File.WriteAllText(_tmp.File("notes.nnb"), "my notes");
        var ex = Assert.Throws<CliException>(() => OutputFile.Resolve(null, "notes.tflite", _tmp.Path));
        Assert.Contains("notes.nnb' exists and is not a .nnb model", ex.Message);
        Assert.Equal("my notes", File.ReadAllText(_tmp.File("notes.nnb")));

        File.WriteAllBytes(_tmp.File("short.nnb"), "NN"u8.ToArray());
        Assert.Throws<CliException>(() => OutputFile.Resolve(null, "short.tflite", _tmp.Path));
    }

    [Fact]
    public void TheDefaultNeverReplacesTheInput()
    {
        // a TFLite model named like its default output, packed from its own folder
        var model = _tmp.File("model.nnb");
        File.Copy(TestPaths.RefModel("tflm_person_detect_int8.tflite"), model);
        var before = File.ReadAllBytes(model);
        var line = CliRunner.AssertOneLineError(CliProcess.Run(_tmp.Path, "pack", "model.nnb"));
        Assert.Contains("model.nnb' exists and is not a .nnb model: name the output with -o", line);
        Assert.Equal(before, File.ReadAllBytes(model));

        // a packed model given as the input: its default output is itself
        var packed = _tmp.File("vww.nnb");
        File.Copy(Path.Combine(TestPaths.Models, "vww_96.nnb"), packed);
        before = File.ReadAllBytes(packed);
        line = CliRunner.AssertOneLineError(CliProcess.Run(_tmp.Path, "pack", "vww.nnb"));
        Assert.Contains("is also 'vww.nnb', another file of this command", line);
        Assert.Equal(before, File.ReadAllBytes(packed));
    }

    [Fact]
    public void PackWithoutOutputWritesNextToTheCallerNotTheModel()
    {
        var (code, stdout, stderr) = CliProcess.Run(_tmp.Path, "pack", TestPaths.RefModel("tflm_person_detect_int8.tflite"));
        Assert.True(code == 0, stderr);
        Assert.Contains("-> 'tflm_person_detect_int8.nnb'", stdout.Replace(_tmp.Path + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal));
        Assert.True(NanonetEngine.Validate(File.ReadAllBytes(_tmp.File("tflm_person_detect_int8.nnb"))).IsOk);

        // run again: the earlier output is replaced
        (code, _, stderr) = CliProcess.Run(_tmp.Path, "pack", TestPaths.RefModel("tflm_person_detect_int8.tflite"));
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void PackWithoutOutputLeavesAForeignFileAlone()
    {
        File.WriteAllText(_tmp.File("tflm_person_detect_int8.nnb"), "not a model");
        var result = CliProcess.Run(_tmp.Path, "pack", TestPaths.RefModel("tflm_person_detect_int8.tflite"));
        var line = CliRunner.AssertOneLineError(result);
        Assert.Contains("exists and is not a .nnb model: name the output with -o", line);
        Assert.Equal("not a model", File.ReadAllText(_tmp.File("tflm_person_detect_int8.nnb")));
    }
}
