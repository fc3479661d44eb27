using System.Text.Json;
using Nanonet.Native;
using Nanonet.Packing;

namespace Nanonet.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static RefModel Person => RefModel.Get("person_detect");

    private string PackPerson(params string[] extra)
    {
        var nnb = _tmp.File("person.nnb");
        var (code, _, err) = CliRunner.Run(["pack", Person.Path, "-o", nnb, .. extra]);
        Assert.True(code == 0, err);
        return nnb;
    }

    [Fact]
    public void PackWritesAValidModelWithLabels()
    {
        var labels = _tmp.File("labels.txt");
        File.WriteAllText(labels, "no person\r\nperson\n\n\n");
        var nnb = _tmp.File("out.nnb");
        var (code, stdout, stderr) = CliRunner.Run("pack", Person.Path, "-o", nnb, "--labels", labels);
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("out.nnb", stdout);
        var blob = File.ReadAllBytes(nnb);
        Assert.True(NanonetEngine.Validate(blob).IsOk);
        var file = NnbFile.Parse(blob);
        Assert.Equal(["no person", "person"], file.Labels);
        Assert.Equal(ColourLayout.Gray8, file.ColourLayout);
        Assert.Equal([1, 96, 96, 1], file.Input.Shape);
        Assert.Equal(blob.Length, file.TotalSize);
    }

    [Fact]
    public void RunTextShowsTheTopLabelAndScores()
    {
        var labels = _tmp.File("labels.txt");
        File.WriteAllText(labels, "no person\nperson\n");
        var nnb = PackPerson("--labels", labels);
        var input = Person.Input("tflm_person");
        var (code, stdout, stderr) = CliRunner.Run("run", nnb, input);
        Assert.True(code == 0, stderr);
        // -113 113 dequantised with scale 1/256 and zero point -128: 15/256 and 241/256.
        Assert.Equal($"{input}: person 0.9414 (no person=0.0586 person=0.9414)\n", stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void RunJsonIsAnArrayOfResults()
    {
        var nnb = PackPerson();
        var a = Person.Input("tflm_person");
        var b = Person.Input("tflm_no_person");
        var (code, stdout, stderr) = CliRunner.Run("run", nnb, a, b, "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(a, items[0].GetProperty("input").GetString());
        Assert.Equal([-113, 113], items[0].GetProperty("output").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([57, -57], items[1].GetProperty("output").EnumerateArray().Select(e => e.GetInt32()));
        var scores = items[0].GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(15 / 256.0, scores[0], 5);
        Assert.Equal(241 / 256.0, scores[1], 5);
        var top = items[0].GetProperty("top");
        Assert.Equal(1, top.GetProperty("index").GetInt32());
        Assert.Equal("1", top.GetProperty("label").GetString());
        Assert.Equal(241 / 256.0, top.GetProperty("score").GetDouble(), 5);
        Assert.Equal(0, items[1].GetProperty("top").GetProperty("index").GetInt32());
    }

    [Theory]
    [InlineData("person_detect")]
    [InlineData("vww96")]
    [InlineData("ei_mbv2")]
    public void InspectListsEveryOpAndTheTotals(string name)
    {
        var model = RefModel.Get(name);
        var nnbPath = _tmp.File(name + ".nnb");
        Assert.Equal(0, CliRunner.Run("pack", model.Path, "-o", nnbPath).Code);
        var blob = File.ReadAllBytes(nnbPath);
        var file = NnbFile.Parse(blob);
        foreach (var path in new[] { nnbPath, model.Path })
        {
            var (code, stdout, stderr) = CliRunner.Run("inspect", path);
            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n');
            // One table row per op: "| index | code | ...".
            foreach (var op in file.Ops)
            {
                Assert.Contains(lines, l => l.StartsWith($"| {op.Index} ", StringComparison.Ordinal) && l.Contains(op.Code.ToString(), StringComparison.Ordinal));
            }

            Assert.Contains($"total MACs:      {NanonetEngine.Macs(blob):N0}", stdout);
            // which arena: layer by layer, and the smallest plan's peak_bytes beside it
            Assert.Contains($"arena:           {NanonetEngine.ArenaSize(blob):N0} bytes layer by layer (whole tensors), "
                + $"{NanonetPlanner.Plan(blob).PeakBytes:N0} bytes at the smallest plan (peak_bytes, nanonet plan)", stdout);
            Assert.Contains($"model size:      {blob.Length:N0} bytes", stdout);
            Assert.Contains($"parameter bytes: {file.Ops.Sum(o => (long)o.ParameterBytes):N0}", stdout);
        }

        Assert.Equal(file.TotalMacs, NanonetEngine.Macs(blob));
    }

    [Fact]
    public void InspectMacsMatchTheBrief()
    {
        // BRIEF.md: person_detect 7.16 M MACs.
        var blob = File.ReadAllBytes(PackPerson());
        Assert.InRange(NanonetEngine.Macs(blob), 7_100_000, 7_200_000);
    }

    [Fact]
    public void MissingModelFile()
    {
        var path = _tmp.File("nope.nnb");
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", path, Person.Input("tflm_person")));
        Assert.Contains(path, line);
        Assert.Contains("not found", line);
        CliRunner.AssertOneLineError(CliRunner.Run("inspect", path));
        CliRunner.AssertOneLineError(CliRunner.Run("pack", _tmp.File("nope.tflite"), "-o", _tmp.File("x.nnb")));
    }

    [Fact]
    public void TruncatedNnb()
    {
        var nnb = PackPerson();
        var blob = File.ReadAllBytes(nnb);
        File.WriteAllBytes(nnb, blob[..(blob.Length / 2)]);
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", nnb, Person.Input("tflm_person"), "--format", "raw"));
        Assert.Contains(nnb, line);
        Assert.Contains("NN_ERR_TRUNCATED", line);
        CliRunner.AssertOneLineError(CliRunner.Run("inspect", nnb));

        File.WriteAllBytes(nnb, blob[..10]);
        CliRunner.AssertOneLineError(CliRunner.Run("run", nnb, Person.Input("tflm_person")));
        File.WriteAllBytes(nnb, []);
        CliRunner.AssertOneLineError(CliRunner.Run("run", nnb, Person.Input("tflm_person")));
    }

    [Fact]
    public void ByteFlippedNnb()
    {
        var nnb = PackPerson();
        var blob = File.ReadAllBytes(nnb);
        blob[blob.Length - 100] ^= 0x40; // inside the weights: only the CRC notices
        File.WriteAllBytes(nnb, blob);
        var (code, stdout, err) = CliRunner.Run("run", nnb, Person.Input("tflm_person"), "--format", "raw");
        var line = CliRunner.AssertOneLineError((code, stdout, err));
        Assert.Contains("NN_ERR_BAD_CRC", line);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public void EngineErrorNamesStatusAndLocation()
    {
        var blob = File.ReadAllBytes(PackPerson());
        blob[0] = (byte)'X';
        var result = NanonetEngine.Validate(blob);
        Assert.False(result.IsOk);
        Assert.Equal("NN_ERR_BAD_MAGIC", result.StatusName);
        var ex = Assert.Throws<EngineException>(() => NanonetEngine.Run(blob, new sbyte[9216]));
        Assert.StartsWith("NN_ERR_BAD_MAGIC: ", ex.Message);
        Assert.Equal(result.Status, ex.Status);
        Assert.Equal("NN_ERR_BAD_CRC", NanonetEngine.StatusName(6));
        Assert.True(NanonetEngine.AbiVersion >= 1);
    }

    [Fact]
    public void ObserverExceptionIsRethrownAfterTheRun()
    {
        var blob = File.ReadAllBytes(PackPerson());
        int calls = 0;
        var ex = Assert.Throws<InvalidOperationException>(() => NanonetEngine.Run(blob, new sbyte[9216], (_, _, _) =>
        {
            calls++;
            throw new InvalidOperationException("stop");
        }));
        Assert.Equal("stop", ex.Message);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void WrongSizeI8()
    {
        var nnb = PackPerson();
        var input = _tmp.File("small.i8");
        File.WriteAllBytes(input, new byte[100]);
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", nnb, input));
        Assert.Contains(input, line);
        Assert.Contains("100", line);
        Assert.Contains("9216", line);

        // An RGB input fed to a gray model.
        line = CliRunner.AssertOneLineError(CliRunner.Run("run", nnb, RefModel.Get("vww96").Input("tflm_person")));
        Assert.Contains("27648", line);
        Assert.Contains("9216", line);
    }

    [Fact]
    public void MissingInputFile()
    {
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", PackPerson(), _tmp.File("nope.i8")));
        Assert.Contains("nope.i8", line);
        line = CliRunner.AssertOneLineError(CliRunner.Run("run", PackPerson(), _tmp.File("nope.png")));
        Assert.Contains("nope.png", line);
    }

    [Fact]
    public void UnsupportedOpNamesTheOperator()
    {
        // MCUNet VWW has float input/output with QUANTIZE/DEQUANTIZE: not supported by the engine.
        var tflite = TestPaths.RefModel("tinyengine_vww_mcunet_80_int8.tflite");
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", tflite, Person.Input("tflm_person")));
        Assert.Contains("tinyengine_vww_mcunet_80_int8.tflite", line);
        Assert.Matches("operator|op ", line);
        CliRunner.AssertOneLineError(CliRunner.Run("pack", tflite, "-o", _tmp.File("m.nnb")));
        CliRunner.AssertOneLineError(CliRunner.Run("inspect", tflite));
    }

    [Fact]
    public void BrokenImage()
    {
        var nnb = PackPerson();
        var text = _tmp.File("notes.jpg");
        File.WriteAllText(text, "not a picture");
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", nnb, text));
        Assert.Contains(text, line);
        var empty = _tmp.File("empty.png");
        File.WriteAllBytes(empty, []);
        line = CliRunner.AssertOneLineError(CliRunner.Run("run", nnb, empty));
        Assert.Contains(empty, line);
    }

    [Fact]
    public void UnsupportedInputType()
    {
        var other = _tmp.File("input.txt");
        File.WriteAllText(other, "1 2 3");
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", PackPerson(), other));
        Assert.Contains("input.txt", line);
    }

    [Fact]
    public void PackRejectsANonTfliteFile()
    {
        var nnb = PackPerson();
        var line = CliRunner.AssertOneLineError(CliRunner.Run("pack", nnb, "-o", _tmp.File("again.nnb")));
        Assert.Contains(nnb, line);
        var junk = _tmp.File("junk.tflite");
        File.WriteAllBytes(junk, [1, 2, 3, 4, (byte)'T', (byte)'F', (byte)'L', (byte)'3', 9, 9]);
        CliRunner.AssertOneLineError(CliRunner.Run("pack", junk, "-o", _tmp.File("junk.nnb")));
        CliRunner.AssertOneLineError(CliRunner.Run("run", junk, Person.Input("tflm_person")));
    }

    [Fact]
    public void LabelsThatDoNotMatchTheOutputsAreOneLineErrors()
    {
        var labels = _tmp.File("labels.txt");
        File.WriteAllText(labels, "a\nb\nc\n");
        var line = CliRunner.AssertOneLineError(CliRunner.Run("pack", Person.Path, "-o", _tmp.File("x.nnb"), "--labels", labels));
        Assert.Equal("nanonet: error: labels: 3 labels for a model with 2 output values: give one label per output, or none", line);
        Assert.False(File.Exists(_tmp.File("x.nnb")));

        File.WriteAllLines(labels, Enumerable.Range(0, 1100).Select(i => $"class {i}"));
        Assert.Contains("at most 1024", CliRunner.AssertOneLineError(CliRunner.Run("pack", Person.Path, "-o", _tmp.File("x.nnb"), "--labels", labels)));
    }

    [Fact]
    public void UsageErrorsAreOneLine()
    {
        Assert.Equal(2, CliRunner.Run().Code);
        CliRunner.AssertOneLineError(CliRunner.Run());
        CliRunner.AssertOneLineError(CliRunner.Run("frobnicate"));
        CliRunner.AssertOneLineError(CliRunner.Run("run", Person.Path));
        CliRunner.AssertOneLineError(CliRunner.Run("run", Person.Path, Person.Input("tflm_person"), "--format", "xml"));
        CliRunner.AssertOneLineError(CliRunner.Run("pack"));
        CliRunner.AssertOneLineError(CliRunner.Run("quantize", Person.Path));

        // numbers: the error says what is wanted, not a .NET type name
        var line = CliRunner.AssertOneLineError(CliRunner.Run("bench", Person.Path, "--iterations", "abc"));
        Assert.Contains("Cannot parse argument 'abc' for option '--iterations' as a whole number", line);
        line = CliRunner.AssertOneLineError(CliRunner.Run("run", Person.Path, Person.Input("tflm_person"), "--sram-budget", "x"));
        Assert.Contains("as a whole number", line);
        Assert.DoesNotContain("System.", line);
    }

    [Fact]
    public void HelpSucceeds()
    {
        var (code, stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("pack", stdout);
        Assert.Contains("inspect", stdout);
        Assert.Contains("run", stdout);
    }
}
