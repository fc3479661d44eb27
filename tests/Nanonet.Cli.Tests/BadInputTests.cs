namespace Nanonet.Cli.Tests;

/// <summary>
/// The error contract on inputs found by a bug hunt: empty names, endless devices, folders, outputs that would
/// overwrite an input, out-of-range numbers, unknown commands, and several inputs of which one is broken.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static RefModel Person => RefModel.Get("person_detect");

    private static string ShippedVww => Path.Combine(TestPaths.Models, "vww_96.nnb");

    private string Copy(string source, string name)
    {
        var path = _tmp.File(name);
        File.Copy(source, path);
        return path;
    }

    [Fact]
    public void EmptyFileNamesAreNamed()
    {
        Assert.Contains("the file name is empty", CliRunner.AssertOneLineError(CliRunner.Run("inspect", "")));
        Assert.Contains("the file name is empty", CliRunner.AssertOneLineError(CliRunner.Run("pack", "")));
        Assert.Contains("-o: the file name is empty", CliRunner.AssertOneLineError(CliRunner.Run("pack", Person.Path, "-o", "")));
        Assert.Contains("the file name is empty",
            CliRunner.AssertOneLineError(CliRunner.Run("pack", Person.Path, "-o", _tmp.File("x.nnb"), "--labels", "")));
        Assert.Contains("the file name is empty", CliRunner.AssertOneLineError(CliRunner.Run("eval", ShippedVww, "--images", TestPaths.Coco64Images, "-l", "")));

        var plot = CliRunner.Run("plan", ShippedVww, "--plot", "");
        Assert.Contains("--plot: the file name is empty", CliRunner.AssertOneLineError(plot));
        Assert.Equal(string.Empty, plot.Out); // refused before any work
    }

    [Fact]
    public void EndlessDevicesAreRefusedNotReadForever()
    {
        Assert.True(File.Exists("/dev/zero"), "this test needs /dev/zero");
        var zeroI8 = _tmp.File("zero.i8");
        var zeroPng = _tmp.File("zero.png");
        File.CreateSymbolicLink(zeroI8, "/dev/zero");
        File.CreateSymbolicLink(zeroPng, "/dev/zero");

        Assert.Contains("holds more than", CliRunner.AssertOneLineError(CliRunner.Run("inspect", "/dev/zero")));
        Assert.Contains("holds more than", CliRunner.AssertOneLineError(CliRunner.Run("run", ShippedVww, zeroI8)));
        var line = CliRunner.AssertOneLineError(CliRunner.Run("run", ShippedVww, zeroPng));
        Assert.Contains("zero.png", line);
        Assert.Contains("holds more than", line);

        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, $"file,label\n{zeroPng},0\n");
        Assert.Contains("holds more than", CliRunner.AssertOneLineError(CliRunner.Run("eval", ShippedVww, "--images", _tmp.Path, "-l", csv)));
    }

    [Fact]
    public void AFolderGivenAsAFileIsNamed()
    {
        var line = CliRunner.AssertOneLineError(CliRunner.Run("inspect", _tmp.Path));
        Assert.Contains("is a folder, not a file", line);
        Assert.Contains("is a folder: name a file", CliRunner.AssertOneLineError(CliRunner.Run("pack", Person.Path, "-o", _tmp.Path)));
    }

    [Fact]
    public void NoOutputOverwritesAnInputOrAnotherOutput()
    {
        var tflite = Copy(Person.Path, "m.tflite");
        var before = File.ReadAllBytes(tflite);
        Assert.Contains("another file of this command", CliRunner.AssertOneLineError(CliRunner.Run("pack", tflite, "-o", tflite)));

        var floatModel = Copy(TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite"), "f.tflite");
        var floatBefore = File.ReadAllBytes(floatModel);
        var calib = Directory.CreateDirectory(_tmp.File("calib")).FullName;
        File.Copy(Path.Combine(TestPaths.Coco64Images, "000000000009.jpg"), Path.Combine(calib, "a.jpg"));
        var nnb = _tmp.File("q.nnb");
        Assert.Contains("another file of this command", CliRunner.AssertOneLineError(CliRunner.Run("quantize", floatModel, "-c", calib, "-o", floatModel)));
        Assert.Contains("--report", CliRunner.AssertOneLineError(CliRunner.Run("quantize", floatModel, "-c", calib, "-o", nnb, "--report", floatModel)));
        Assert.Contains("another file of this command", CliRunner.AssertOneLineError(CliRunner.Run("quantize", floatModel, "-c", calib, "-o", nnb, "--report", nnb)));
        Assert.False(File.Exists(nnb));

        var packed = Copy(ShippedVww, "vww.nnb");
        var packedBefore = File.ReadAllBytes(packed);
        Assert.Contains("--plot", CliRunner.AssertOneLineError(CliRunner.Run("plan", packed, "--plot", packed)));

        Assert.Equal(before, File.ReadAllBytes(tflite));
        Assert.Equal(floatBefore, File.ReadAllBytes(floatModel));
        Assert.Equal(packedBefore, File.ReadAllBytes(packed));
    }

    [Fact]
    public void AnUnwritableReportStopsQuantizeBeforeItWritesAModel()
    {
        var nnb = _tmp.File("q.nnb");
        var line = CliRunner.AssertOneLineError(CliRunner.Run("quantize", TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite"),
            "-c", TestPaths.Coco64Images, "-o", nnb, "--report", _tmp.File("missing/r.json")));
        Assert.Contains("--report", line);
        Assert.Contains("does not exist", line);
        Assert.False(File.Exists(nnb));
    }

    [Fact]
    public void OutOfRangeNumbersAreNamed()
    {
        Assert.Contains("--iterations must be in [1, 10000000]", CliRunner.AssertOneLineError(CliRunner.Run("bench", ShippedVww, "-n", "2147483647")));
        Assert.Contains("--alpha must be in (0, 4]", CliRunner.AssertOneLineError(CliRunner.Run("plan", "--arch", "mobilenet-v2", "--alpha", "NaN")));
        Assert.Contains("is beyond what the engine runs",
            CliRunner.AssertOneLineError(CliRunner.Run("plan", "--arch", "mobilenet-v1", "--alpha", "4", "--resolution", "480")));

        // a tiny width still gives every layer at least one channel
        var (code, stdout, stderr) = CliRunner.Run("plan", "--arch", "mobilenet-v1", "--alpha", "0.01");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("peak_bytes ", stdout.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void AFileGivenAsAFolderAndAFolderGivenAsAnInputAreNamed()
    {
        var picture = Path.Combine(TestPaths.Samples, "person.png");
        var csv = _tmp.File("labels.csv");
        File.WriteAllText(csv, "file,label\nperson.png,1\n");
        Assert.Contains($"image folder '{picture}' is a file, not a folder",
            CliRunner.AssertOneLineError(CliRunner.Run("eval", ShippedVww, "--images", picture, "-l", csv)));
        Assert.Contains($"image folder '{picture}' is a file, not a folder",
            CliRunner.AssertOneLineError(CliRunner.Run("quantize", TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite"), "-c", picture,
                "-o", _tmp.File("q.nnb"))));
        Assert.Contains($"input '{_tmp.Path}' is a folder, not a file",
            CliRunner.AssertOneLineError(CliRunner.Run("run", ShippedVww, _tmp.Path)));
    }

    [Fact]
    public void AnUnknownOptionIsRefusedNamedAndNeverTakenAsAnInput()
    {
        var person = Path.Combine(TestPaths.Samples, "person.png");
        var model = Path.Combine(TestPaths.Models, "person_detect.nnb");
        var result = CliRunner.Run("run", model, person, "--sram-budjet", "20000");
        Assert.Equal(2, result.Code);
        Assert.Equal(string.Empty, result.Out); // refused before any inference
        Assert.Contains("unknown option '--sram-budjet' for 'run' (did you mean --sram-budget?)", CliRunner.AssertOneLineError(result));
        Assert.Contains("unknown option '--layer-by-lyer' for 'bench' (did you mean --layer-by-layer?)",
            CliRunner.AssertOneLineError(CliRunner.Run("bench", model, "--layer-by-lyer")));
        // a negative number and "-" are values, not options
        Assert.DoesNotContain("unknown option", CliRunner.Run("run", model, "-5").Err);
    }

    [Fact]
    public void ShortOptionsMeanOneThingAcrossCommands()
    {
        // -i is --input (bench); eval's picture folder is --images only; -m is --model (classify), quantize's
        // method is --method only. -n is "how many" in each command that has it (iterations, samples,
        // classifications), as head -n.
        var root = Program.BuildCommand(TextWriter.Null);
        var meanings = new Dictionary<string, HashSet<string>>();
        foreach (var command in root.Subcommands)
        {
            foreach (var option in command.Options)
            {
                foreach (var alias in option.Aliases.Where(a => a.Length == 2 && a[0] == '-' && a != "-n"))
                {
                    if (!meanings.TryGetValue(alias, out var names))
                    {
                        meanings[alias] = names = [];
                    }
                    names.Add(option.Name);
                }
            }
        }

        foreach (var (alias, names) in meanings)
        {
            Assert.True(names.Count == 1, $"{alias} means {string.Join(" and ", names)}");
        }

        Assert.Contains("--input", meanings["-i"]);
    }

    [Fact]
    public void BenchRefusesABudgetForLayerByLayer()
    {
        var result = CliRunner.Run("bench", ShippedVww, "--layer-by-layer", "--sram-budget", "20000", "-n", "1");
        Assert.Equal(2, result.Code);
        Assert.Contains("--sram-budget applies to the memory plan, not to --layer-by-layer", CliRunner.AssertOneLineError(result));
        var (code, stdout, stderr) = CliRunner.Run("bench", ShippedVww, "--layer-by-layer", "-n", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("execution: layer by layer", stdout);
    }

    [Fact]
    public void AFloatModelIsPointedAtQuantize()
    {
        var floatModel = TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite");
        foreach (var command in new[] { "inspect", "pack", "plan" })
        {
            var line = CliRunner.AssertOneLineError(CliRunner.Run(command, floatModel));
            Assert.Contains("it is a float model: quantise it to int8 first (nanonet quantize", line);
        }

        // an int8 model that cannot be packed for another reason gets no such hint
        Assert.False(ModelLoader.IsFloatModel(File.ReadAllBytes(TestPaths.RefModel("mlperf_tiny_vww_96_int8.tflite"))));
    }

    [Fact]
    public void AnUnknownCommandIsNamed()
    {
        Assert.Contains("'frobnicate'", CliRunner.AssertOneLineError(CliRunner.Run("frobnicate")));
    }

    [Fact]
    public void ABrokenInputDoesNotCostTheOthersTheirResults()
    {
        var broken = _tmp.File("broken.png");
        File.WriteAllText(broken, "not a picture");
        var person = Path.Combine(TestPaths.Samples, "person.png");
        var noPerson = Path.Combine(TestPaths.Samples, "no_person.png");
        var model = Path.Combine(TestPaths.Models, "person_detect.nnb");

        var result = CliRunner.Run("run", model, person, broken, noPerson, _tmp.File("missing.i8"));
        var line = CliRunner.AssertOneLineError(result);
        Assert.Contains("broken.png", line);
        Assert.Contains("(1 more of the 4 inputs failed too)", line);
        var printed = result.Out.TrimEnd().Split('\n');
        Assert.Equal(2, printed.Length);
        Assert.StartsWith(person + ": person ", printed[0]);
        Assert.StartsWith(noPerson + ": no person ", printed[1]);
    }
}
