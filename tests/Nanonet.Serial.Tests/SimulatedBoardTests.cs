using System.Diagnostics;
using System.Globalization;
using Nanonet.Core.Protocol;

namespace Nanonet.Serial.Tests;

/// <summary>
/// What a user does with a board, done against <c>nanonet sim</c> over a real pseudo-terminal with the real
/// commands: the golden inputs classified through <c>nanonet classify --format raw</c> give exactly TFLM's outputs
/// (../shared/golden/outputs.txt) for the three shipped models; camera streaming from a picture folder reaches
/// <c>nanonet monitor</c> with exactly the outputs <c>nanonet run</c> gives on those pictures.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SimulatedBoardTests(ITestOutputHelper log)
{
    public static TheoryData<string, string, string> Models => new()
    {
        { "person_detect.nnb", "person_detect", "gray96" },
        { "vww_96.nnb", "vww96", "rgb96" },
        { "mobilenet_v2_035_96_gray.nnb", "ei_mbv2", "gray96" },
    };

    /// <summary>outputs.txt lines for a model: input name and the two int8 outputs.</summary>
    private static List<(string Input, string Values)> Golden(string goldenModel)
    {
        var path = Path.Combine(TestPaths.Shared, "golden", "outputs.txt");
        Assert.True(File.Exists(path), $"{path} is missing: the golden outputs are required");
        var rows = File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[1] == goldenModel).Select(f => (f[0], f[2] + " " + f[3])).ToList();
        Assert.Equal(2, rows.Count);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void GoldenInputsThroughSimAndClassifyGiveTflmOutputs(string model, string goldenModel, string kind)
    {
        using var sim = new SimProcess(Path.Combine(TestPaths.Models, model));
        var golden = Golden(goldenModel);
        var args = new List<string> { "classify", "--port", sim.Link, "--format", "raw" };
        var inputs = golden.Select(g => TestPaths.GoldenInput($"{g.Input}.{kind}.i8")).ToList();
        inputs.ForEach(i => Assert.True(File.Exists(i), $"{i} is missing"));
        args.AddRange(inputs);
        var (code, stdout, stderr) = CliRunner.Run([.. args]);
        Assert.True(code == 0, stderr + sim.Output);
        var expected = string.Concat(golden.Select((g, i) => inputs[i] + " " + g.Values + "\n"));
        Assert.Equal(expected, stdout.Replace("\r\n", "\n"));
        Assert.True(sim.Running);
        log.WriteLine($"{model}: {golden.Count} golden outputs over the pty");
    }

    [Fact]
    public void CameraStreamReachesMonitorWithTheOutputsRunGives()
    {
        var pictures = Directory.GetFiles(TestPaths.Samples, "*.png").Order(StringComparer.Ordinal).ToList();
        Assert.True(pictures.Count >= 2, "samples/ must hold the sample pictures");
        var model = Path.Combine(TestPaths.Models, "person_detect.nnb");
        var run = CliRunner.Run(["run", model, "--format", "raw", .. pictures]);
        Assert.True(run.Code == 0, run.Err);
        var expected = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(' ') + 1)..].Trim()).ToList();

        using var sim = new SimProcess(model, "--camera", TestPaths.Samples, "--fps", "50");
        int count = 3 * pictures.Count;
        var monitor = CliRunner.Run("monitor", "--port", sim.Link, "--count", count.ToString(CultureInfo.InvariantCulture), "--format", "raw");
        Assert.True(monitor.Code == 0, monitor.Err + sim.Output);
        var got = monitor.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToList();
        Assert.Equal(count, got.Count);
        // the camera plays the pictures in name order, over and over: the stream is that sequence from some point on
        int start = expected.IndexOf(got[0][1].Trim());
        Assert.True(start >= 0, $"first streamed output {got[0][1]} is none of run's: {string.Join(" | ", expected)}");
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(expected[(start + i) % expected.Count], got[i][1].Trim());
        }
        // and the text lines of both name the same labels
        var text = CliRunner.Run("monitor", "--port", sim.Link, "--count", "2");
        Assert.True(text.Code == 0, text.Err);
        Assert.Matches(@"^frame \d+: (person|no person) \d\.\d{3} \d+ us peak_bytes 16463$", text.Out.Split('\n')[0].TrimEnd('\r'));
    }

    [Fact]
    public void DemoClassifiesTheSamplePicturesOverSerialAsRunDoes()
    {
        var pictures = new[] { Path.Combine(TestPaths.Samples, "person.png"), Path.Combine(TestPaths.Samples, "no_person.png") };
        var demo = CliRunner.Run(["demo", .. pictures]);
        Assert.True(demo.Code == 0, demo.Err);
        var lines = demo.Out.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^simulated board on /dev/\S+ running person_detect\.nnb; classifying over serial:$", lines[0]);
        // the board's per-mille scores of what `nanonet run` prints as 0.9414 and 0.7227
        Assert.Matches(@"person\.png: person 0\.941 \(\d+ us on the device, peak_bytes 16463\)$", lines[1]);
        Assert.Matches(@"no_person\.png: no person 0\.723 \(\d+ us on the device, peak_bytes 16463\)$", lines[2]);
    }

    [Fact]
    public void ClassifyOnAPortThatDoesNotExistFailsAtOnce()
    {
        var watch = Stopwatch.StartNew();
        var result = CliRunner.Run("classify", "--port", "/dev/nanonet-no-such-port", TestPaths.GoldenInput("tflm_person.gray96.i8"));
        var line = CliRunner.AssertOneLineError(result);
        Assert.Contains("cannot open serial port '/dev/nanonet-no-such-port'", line);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void ClassifyOnABoardThatDoesNotAnswerFailsWithinItsTimeout()
    {
        using var silent = PseudoTerminal.Open(); // a line nobody serves
        var watch = Stopwatch.StartNew();
        var result = CliRunner.Run("classify", "--port", silent.DevicePath, "--timeout", "1", TestPaths.GoldenInput("tflm_person.gray96.i8"));
        var line = CliRunner.AssertOneLineError(result);
        Assert.Contains($"no answer from '{silent.DevicePath}' within 1 s", line);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }
}
