namespace Nanonet.Cli.Tests;

public sealed class BenchTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string ShippedModel(string file) => Path.Combine(TestPaths.RepoRoot, "models", file);

    [Fact]
    public void BenchPrintsTheFigures()
    {
        var input = RefModel.Get("person_detect").Input("tflm_person");
        var (code, stdout, stderr) = CliRunner.Run("bench", ShippedModel("person_detect.nnb"), "--iterations", "3", "--input", input);
        Assert.True(code == 0, stderr);
        var lines = stdout.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("kernels: fast", lines);
        Assert.Contains("iterations: 3", lines);
        var timing = lines.Single(l => l.StartsWith("us_per_inference:", StringComparison.Ordinal));
        var m = System.Text.RegularExpressions.Regex.Match(timing, @"^us_per_inference: min (\d+\.\d) median (\d+\.\d) p90 (\d+\.\d) max (\d+\.\d)$");
        Assert.True(m.Success, timing);
        var figures = Enumerable.Range(1, 4).Select(i => double.Parse(m.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(figures.Order().ToArray(), figures); // min <= median <= p90 <= max
        Assert.Matches(@"^mac_per_s: \d+$", lines.Single(l => l.StartsWith("mac_per_s:", StringComparison.Ordinal)));
        Assert.Contains("macs: 7157888", lines);
        Assert.Contains(lines, l => l.StartsWith("mac_per_s: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^peak_bytes: \d+$"));
        Assert.Contains("output: -113 113", lines); // golden: tflm_person on person_detect
    }

    [Fact]
    public void BenchRunsTheSmallestMemoryPlanByDefaultAndLayerByLayerOnRequest()
    {
        var input = RefModel.Get("person_detect").Input("tflm_person");
        var planned = CliRunner.Run("bench", ShippedModel("person_detect.nnb"), "-n", "2", "--input", input);
        Assert.True(planned.Code == 0, planned.Err);
        Assert.Contains("execution: planned, sram budget smallest plan", planned.Out);
        int plannedPeak = int.Parse(System.Text.RegularExpressions.Regex.Match(planned.Out, @"peak_bytes: (\d+)").Groups[1].Value);
        Assert.Equal(Nanonet.Native.NanonetPlanner.Plan(File.ReadAllBytes(ShippedModel("person_detect.nnb"))).PeakBytes, plannedPeak);
        Assert.Contains("output: -113 113", planned.Out);

        var whole = CliRunner.Run("bench", ShippedModel("person_detect.nnb"), "-n", "2", "--input", input, "--layer-by-layer");
        Assert.True(whole.Code == 0, whole.Err);
        Assert.Contains("execution: layer by layer", whole.Out);
        int wholePeak = int.Parse(System.Text.RegularExpressions.Regex.Match(whole.Out, @"peak_bytes: (\d+)").Groups[1].Value);
        Assert.Equal(Nanonet.Native.NanonetEngine.ArenaSize(File.ReadAllBytes(ShippedModel("person_detect.nnb"))), wholePeak);
        Assert.True(plannedPeak < wholePeak);
        Assert.Contains("output: -113 113", whole.Out);
    }

    [Fact]
    public void BenchBelowTheSmallestPlanNamesTheSmallestBudget()
    {
        var line = CliRunner.AssertOneLineError(CliRunner.Run("bench", ShippedModel("person_detect.nnb"), "-n", "1", "--sram-budget", "1000"));
        Assert.Matches(@"smallest budget that works is \d+ bytes", line);
    }

    [Fact]
    public void BenchReferenceKernelsGiveTheSameOutput()
    {
        var input = RefModel.Get("person_detect").Input("tflm_no_person");
        var (code, stdout, stderr) = CliRunner.Run("bench", ShippedModel("person_detect.nnb"), "-n", "1", "--input", input, "--reference");
        Assert.True(code == 0, stderr);
        Assert.Contains("kernels: reference", stdout);
        Assert.Contains("output: 57 -57", stdout);
    }

    [Fact]
    public void BenchOfABadModelIsAOneLineError()
    {
        var bad = _tmp.File("bad.nnb");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5, 6, 7, 8]);
        var (code, stdout, stderr) = CliRunner.Run("bench", bad, "--iterations", "2");
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("nanonet: error: ", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void BenchRejectsZeroIterations()
    {
        var (code, _, stderr) = CliRunner.Run("bench", ShippedModel("person_detect.nnb"), "--iterations", "0");
        Assert.Equal(1, code);
        Assert.Contains("--iterations", stderr);
    }
}
