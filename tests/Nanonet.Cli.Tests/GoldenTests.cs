using System.Globalization;
using Nanonet.Native;
using Nanonet.Packing;

namespace Nanonet.Cli.Tests;

/// <summary>
/// The acceptance test of issue #2: the engine, reached through the CLI, reproduces TFLM's outputs on the three
/// int8 reference models, and every activation tensor of TFLM's golden dump, layer by layer.
/// </summary>
public sealed class GoldenTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDir _tmp = new();

    public static TheoryData<string> Models => new(RefModel.All.Select(m => m.Name));

    public void Dispose() => _tmp.Dispose();

    private static string ExpectedRaw(RefModel model, Func<string, string> inputPath) =>
        string.Concat(model.GoldenOutputs().Select(g =>
            inputPath(g.Input) + " " + string.Join(" ", g.Output.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "\n"));

    [Theory]
    [MemberData(nameof(Models))]
    public void RunRawOnTfliteMatchesGoldenOutputs(string name)
    {
        var model = RefModel.Get(name);
        var golden = model.GoldenOutputs();
        Assert.Equal(2, golden.Count);
        var args = new List<string> { "run", model.Path };
        args.AddRange(golden.Select(g => model.Input(g.Input)));
        args.AddRange(["--format", "raw"]);
        var (code, stdout, stderr) = CliRunner.Run([.. args]);
        Assert.True(code == 0, stderr);
        Assert.Equal(ExpectedRaw(model, model.Input), stdout.Replace("\r\n", "\n"));
        log.WriteLine($"{name}: {golden.Count} golden outputs matched (.tflite packed in memory)");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void PackThenRunNnbMatchesGoldenOutputs(string name)
    {
        var model = RefModel.Get(name);
        var nnb = _tmp.File(name + ".nnb");
        var pack = CliRunner.Run("pack", model.Path, "-o", nnb);
        Assert.True(pack.Code == 0, pack.Err);
        Assert.True(File.Exists(nnb));
        Assert.Equal("NNET", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(nnb), 0, 4));

        foreach (var exact in new[] { false, true })
        {
            if (exact)
            {
                pack = CliRunner.Run("pack", model.Path, "-o", nnb, "--exact-multipliers");
                Assert.True(pack.Code == 0, pack.Err);
            }

            var golden = model.GoldenOutputs();
            var args = new List<string> { "run", nnb, "--format", "raw" };
            args.AddRange(golden.Select(g => model.Input(g.Input)));
            var (code, stdout, stderr) = CliRunner.Run([.. args]);
            Assert.True(code == 0, stderr);
            Assert.Equal(ExpectedRaw(model, model.Input), stdout.Replace("\r\n", "\n"));
            log.WriteLine($"{name}: {golden.Count} golden outputs matched from the packed .nnb (exact multipliers: {exact})");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryGoldenActivationTensorMatchesLayerByLayer(string name)
    {
        var model = RefModel.Get(name);
        var blob = Packer.PackTflite(File.ReadAllBytes(model.Path), new PackOptions());
        var nnb = NnbFile.Parse(blob);
        var input = File.ReadAllBytes(model.Input("tflm_person")).Select(b => unchecked((sbyte)b)).ToArray();

        // Every tensor the engine reports, keyed by its TFLite tensor index.
        var observed = new Dictionary<int, sbyte[]>();
        int reports = 0;
        var output = NanonetEngine.Run(blob, input, (op, tensor, data) =>
        {
            reports++;
            Assert.Equal(nnb.Ops[op].Output, tensor);
            Assert.Equal(nnb.Tensors[tensor].ElementCount, data.Length);
            int source = nnb.Tensors[tensor].SourceIndex;
            if (source >= 0)
            {
                observed[source] = data.ToArray();
            }
        });
        Assert.Equal(nnb.Ops.Count, reports);

        // The graph input is not written by any op: it is the golden input we fed.
        observed[nnb.Input.SourceIndex] = input;

        var dir = Path.Combine(TestPaths.Shared, "golden", "tensors", model.TensorDir);
        int compared = 0;
        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "INDEX.txt")))
        {
            var id = line.Split(' ')[0];
            if (id == "OUT")
            {
                var expectedOut = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(sbyte.Parse).ToArray();
                Assert.Equal(expectedOut, output);
                continue;
            }

            if (!id.StartsWith('t'))
            {
                continue;
            }

            int index = int.Parse(id[1..], CultureInfo.InvariantCulture);
            var golden = File.ReadAllBytes(Path.Combine(dir, id + ".bin")).Select(b => unchecked((sbyte)b)).ToArray();
            if (!observed.TryGetValue(index, out var actual))
            {
                missing.Add(id);
                continue;
            }

            compared++;
            if (!golden.AsSpan().SequenceEqual(actual))
            {
                int first = Enumerable.Range(0, Math.Min(golden.Length, actual.Length)).FirstOrDefault(i => golden[i] != actual[i]);
                mismatched.Add($"{id} (length {actual.Length} vs {golden.Length}, first difference at {first})");
            }
        }

        log.WriteLine($"{name}: {compared} golden tensors compared layer by layer, {mismatched.Count} mismatched, {missing.Count} never reported; output {string.Join(" ", output)}");
        Assert.True(missing.Count == 0, $"{name}: golden tensors never reported by the engine: {string.Join(", ", missing)}");
        Assert.True(mismatched.Count == 0, $"{name}: tensors differ from TFLM: {string.Join("; ", mismatched)}");
        Assert.True(compared >= nnb.Ops.Count, $"{name}: only {compared} tensors compared for {nnb.Ops.Count} ops");
    }

    [Theory]
    [InlineData("person.png", "tflm_person")]
    [InlineData("no_person.png", "tflm_no_person")]
    public void SamplePicturesGiveTheGoldenOutput(string sample, string goldenInput)
    {
        var model = RefModel.Get("person_detect");
        var expected = model.GoldenOutputs().Single(g => g.Input == goldenInput).Output;
        var path = Path.Combine(TestPaths.Samples, sample);

        var nnb = _tmp.File("person_detect.nnb");
        Assert.Equal(0, CliRunner.Run("pack", model.Path, "-o", nnb).Code);
        foreach (var m in new[] { nnb, model.Path })
        {
            var (code, stdout, stderr) = CliRunner.Run("run", m, path, "--format", "raw");
            Assert.True(code == 0, stderr);
            Assert.Equal($"{path} {string.Join(" ", expected)}\n", stdout.Replace("\r\n", "\n"));
        }
    }

    [Fact]
    public void SampleRelativePathIsPrintedAsGiven()
    {
        var model = RefModel.Get("person_detect");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(TestPaths.Samples, "person.png"));
        var (code, stdout, stderr) = CliRunner.Run("run", model.Path, relative, "--format", "raw");
        Assert.True(code == 0, stderr);
        Assert.Equal($"{relative} -113 113\n", stdout.Replace("\r\n", "\n"));
    }
}
