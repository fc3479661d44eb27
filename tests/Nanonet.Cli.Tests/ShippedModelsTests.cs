using System.Globalization;
using Nanonet.Packing;

namespace Nanonet.Cli.Tests;

/// <summary>
/// The packed models shipped in models/ are what the packer makes today from the reference .tflite files
/// (models/pack-models.sh), carry their labels, run the bundled samples, and reproduce TFLM's golden outputs.
/// </summary>
public sealed class ShippedModelsTests
{
    public static TheoryData<string, string, string> Shipped => new()
    {
        { "person_detect", "person_detect", "tflm_person_detect_int8.tflite" },
        { "vww_96", "vww96", "mlperf_tiny_vww_96_int8.tflite" },
        { "mobilenet_v2_035_96_gray", "ei_mbv2", "ei_mobilenetv2_035_96_gray_int8.tflite" },
    };

    private static string ModelsDir => Path.Combine(TestPaths.RepoRoot, "models");

    [Theory]
    [MemberData(nameof(Shipped))]
    public void ShippedModelEqualsAFreshPackWithItsLabels(string shipped, string refName, string tflite)
    {
        _ = refName;
        var labels = File.ReadAllLines(Path.Combine(ModelsDir, shipped + ".labels.txt"));
        var fresh = Packer.PackTflite(File.ReadAllBytes(TestPaths.RefModel(tflite)), new PackOptions { Labels = labels });
        var onDisk = File.ReadAllBytes(Path.Combine(ModelsDir, shipped + ".nnb"));
        Assert.True(fresh.AsSpan().SequenceEqual(onDisk), $"models/{shipped}.nnb is stale: run models/pack-models.sh");
        Assert.Equal(labels, NnbFile.Parse(onDisk).Labels);
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void ShippedModelReproducesGoldenOutputs(string shipped, string refName, string tflite)
    {
        _ = tflite;
        var model = RefModel.Get(refName);
        var golden = model.GoldenOutputs();
        var args = new List<string> { "run", Path.Combine(ModelsDir, shipped + ".nnb"), "--format", "raw" };
        args.AddRange(golden.Select(g => model.Input(g.Input)));
        var (code, stdout, stderr) = CliRunner.Run([.. args]);
        Assert.True(code == 0, stderr);
        var expected = string.Concat(golden.Select(g =>
            model.Input(g.Input) + " " + string.Join(" ", g.Output.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "\n"));
        Assert.Equal(expected, stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void PersonDetectIsWithinTheSizeBudget()
    {
        var size = new FileInfo(Path.Combine(ModelsDir, "person_detect.nnb")).Length;
        Assert.InRange(size, 1, 226_000);
    }

    [Fact]
    public void BundledSamplesAreClassifiedByTheShippedModelWithLabels()
    {
        var (code, stdout, stderr) = CliRunner.Run("run", Path.Combine(ModelsDir, "person_detect.nnb"),
            Path.Combine(TestPaths.Samples, "person.png"), Path.Combine(TestPaths.Samples, "no_person.png"));
        Assert.True(code == 0, stderr);
        var lines = stdout.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(Path.Combine(TestPaths.Samples, "person.png") + ": person ", lines[0]);
        Assert.StartsWith(Path.Combine(TestPaths.Samples, "no_person.png") + ": no person ", lines[1]);
    }
}
