using System.Text.Json;
using Nanonet.Native;
using Nanonet.Packing.Tests;

namespace Nanonet.Quantization.Tests;

public sealed class CliCommandTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string FloatVww => TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite");

    private static string Int8Vww => TestPaths.RefModel("mlperf_tiny_vww_96_int8.tflite");

    [Fact]
    public void QuantizeWritesAModelAndAReport()
    {
        var nnb = _tmp.File("q.nnb");
        var report = _tmp.File("q.json");
        var (code, stdout, stderr) = CliRunner.Run("quantize", FloatVww, "--calibration", TestPaths.Coco64Images, "-o", nnb,
            "--samples", "8", "--method", "percentile", "--report", report);
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        Assert.True(NanonetEngine.Validate(File.ReadAllBytes(nnb)).IsOk);
        Assert.Contains("FULLY_CONNECTED", stdout);
        Assert.Contains("calibration: 8 pictures", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("percentile", json.RootElement.GetProperty("method").GetString());
        Assert.Equal(8, json.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(31, json.RootElement.GetProperty("layers").GetArrayLength());

        // the quantised model evaluates like any other
        var (c2, o2, e2) = CliRunner.Run("eval", nnb, "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels,
            "--label-column", "person_vww_0p5pct");
        Assert.True(c2 == 0, e2);
        Assert.StartsWith("accuracy 0.", o2.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void TheAcceptanceCommandRunsAsWrittenInTheIssue()
    {
        // "nanonet quantize FLOAT.tflite --calibration DIR", no -o: the model lands in the current directory
        var (code, stdout, stderr) = CliProcess.Run(_tmp.Path, "quantize", FloatVww, "--calibration", TestPaths.Coco64Images);
        Assert.True(code == 0, stderr);
        Assert.Contains("top-1 agreement with the float model on the calibration pictures: 64/64", stdout);
        var nnb = _tmp.File("mlperf_tiny_vww_96_float.nnb");
        Assert.True(NanonetEngine.Validate(File.ReadAllBytes(nnb)).IsOk);

        (code, stdout, stderr) = CliRunner.Run("eval", nnb, "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels,
            "--label-column", "person_vww_0p5pct");
        Assert.True(code == 0, stderr);
        Assert.Equal("accuracy 0.84375", stdout.TrimEnd().Split('\n')[^1].TrimEnd('\r'));
    }

    [Fact]
    public void EvalPrintsAccuracyLastForInt8AndFloat()
    {
        var (code, stdout, stderr) = CliRunner.Run("eval", Int8Vww, "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels,
            "--label-column", "person_vww_0p5pct");
        Assert.True(code == 0, stderr);
        Assert.Contains("confusion matrix", stdout);
        Assert.Equal("accuracy 0.84375", stdout.TrimEnd().Split('\n')[^1].TrimEnd('\r'));

        (code, stdout, stderr) = CliRunner.Run("eval", FloatVww, "--float", "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels,
            "--label-column", "person_vww_0p5pct");
        Assert.True(code == 0, stderr);
        Assert.Equal("accuracy 0.84375", stdout.TrimEnd().Split('\n')[^1].TrimEnd('\r'));
    }

    [Fact]
    public void QuantizeBadInputsGiveOneLineErrors()
    {
        var nnb = _tmp.File("q.nnb");
        var missing = CliRunner.AssertOneLineError(CliRunner.Run("quantize", FloatVww, "--calibration", _tmp.File("nope"), "-o", nnb));
        Assert.Contains("not found", missing);

        var empty = Directory.CreateDirectory(_tmp.File("empty")).FullName;
        Assert.Contains("holds no pictures", CliRunner.AssertOneLineError(CliRunner.Run("quantize", FloatVww, "--calibration", empty, "-o", nnb)));

        var badDir = Directory.CreateDirectory(_tmp.File("bad")).FullName;
        File.WriteAllText(Path.Combine(badDir, "fake.png"), "not a png");
        Assert.Contains("fake.png", CliRunner.AssertOneLineError(CliRunner.Run("quantize", FloatVww, "--calibration", badDir, "-o", nnb)));

        Assert.Contains("not a float model", CliRunner.AssertOneLineError(CliRunner.Run("quantize", Int8Vww, "--calibration", TestPaths.Coco64Images, "-o", nnb)));

        var tb = new TfliteBuilder();
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4, 4, 1], FloatModels.F32, 0, 0));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 2, 2, 1], FloatModels.F32, 0, 0));
        tb.Codes.Add(new TfliteBuilder.CodeSpec(17, 0)); // MAX_POOL_2D
        tb.Ops.Add(new TfliteBuilder.OpSpec(0, [0], [1], 5, b => FloatModels.Pool(b, 1, 2, 2)));
        tb.Inputs = [0];
        tb.Outputs = [1];
        var unsupported = _tmp.File("maxpool.tflite");
        File.WriteAllBytes(unsupported, tb.Build());
        var err = CliRunner.AssertOneLineError(CliRunner.Run("quantize", unsupported, "--calibration", TestPaths.Coco64Images, "-o", nnb));
        Assert.Contains("operator 0 (MAX_POOL_2D): unsupported op", err);
        Assert.Contains("--samples", CliRunner.AssertOneLineError(CliRunner.Run("quantize", FloatVww, "--calibration", TestPaths.Coco64Images, "-o", nnb, "--samples", "0")));
        Assert.False(File.Exists(nnb));
    }

    [Fact]
    public void QuantizeChecksTheLabelCountBeforeCalibrating()
    {
        // the only calibration picture is broken: the labels error must come first
        var dir = Directory.CreateDirectory(_tmp.File("calib")).FullName;
        File.WriteAllText(Path.Combine(dir, "broken.jpg"), "not a jpeg");
        var labels = _tmp.File("labels.txt");
        File.WriteAllText(labels, "only one\n");
        var line = CliRunner.AssertOneLineError(CliRunner.Run("quantize", FloatVww, "--calibration", dir, "-o", _tmp.File("q.nnb"), "--labels", labels));
        Assert.Equal("nanonet: error: labels: 1 labels for a model with 2 output values: give one label per output, or none", line);
    }

    [Fact]
    public void EvalBadInputsGiveOneLineErrors()
    {
        var labels = _tmp.File("labels.csv");
        File.WriteAllText(labels, "file,label\n000000000009.jpg,0\nnot_there.jpg,1\n");
        Assert.Contains("not_there.jpg", CliRunner.AssertOneLineError(CliRunner.Run("eval", Int8Vww, "--images", TestPaths.Coco64Images, "--labels", labels)));
        Assert.Contains("not found", CliRunner.AssertOneLineError(CliRunner.Run("eval", Int8Vww, "--images", _tmp.File("nope"), "--labels", labels)));

        var dir = Directory.CreateDirectory(_tmp.File("imgs")).FullName;
        File.WriteAllText(Path.Combine(dir, "x.jpg"), "text, not a jpeg");
        File.WriteAllText(labels, "file,label\nx.jpg,1\n");
        Assert.Contains("x.jpg", CliRunner.AssertOneLineError(CliRunner.Run("eval", Int8Vww, "--images", dir, "--labels", labels)));

        File.WriteAllText(labels, "file,label\n");
        Assert.Contains("lists no pictures", CliRunner.AssertOneLineError(CliRunner.Run("eval", Int8Vww, "--images", dir, "--labels", labels)));
        Assert.Contains("--float", CliRunner.AssertOneLineError(CliRunner.Run("eval", FloatVww, "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels, "--label-column", "person_vww_0p5pct")));
        Assert.Contains("not a float model", CliRunner.AssertOneLineError(CliRunner.Run("eval", Int8Vww, "--float", "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels, "--label-column", "person_vww_0p5pct")));
        Assert.Matches(@"label \d+ of '\d+\.jpg' is not a class of this model \(0\.\.1\)",
            CliRunner.AssertOneLineError(CliRunner.Run("eval", Int8Vww, "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels, "--label-column", "n_boxes")));
    }
}
