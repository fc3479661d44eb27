using System.Globalization;
using System.Xml.Linq;
using Nanonet.Native;

namespace Nanonet.Cli.Tests;

/// <summary>
/// <c>nanonet plan</c> and planned (row-streamed) runs: the table and its <c>peak_bytes</c> line, the
/// over-budget error naming the smallest budget, <c>--arch</c> planning without weights, <c>--plot</c>
/// SVG, and planned runs reproducing TFLM's golden outputs at several budgets.
/// </summary>
public sealed class PlanTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string, string, int> Shipped => new()
    {
        { "person_detect", "person_detect", 20000 },
        { "vww_96", "vww96", 20000 },
        { "mobilenet_v2_035_96_gray", "ei_mbv2", 32000 },
    };

    private static string Model(string shipped) => Path.Combine(TestPaths.RepoRoot, "models", shipped + ".nnb");

    private static int PeakOf(string stdout)
    {
        var last = stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("peak_bytes ", last);
        return int.Parse(last["peak_bytes ".Length..], CultureInfo.InvariantCulture);
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void PlanPrintsStepsAndPeakWithinTarget(string shipped, string refName, int target)
    {
        _ = refName;
        var (code, stdout, stderr) = CliRunner.Run("plan", Model(shipped));
        Assert.True(code == 0, stderr);
        Assert.Contains("streamed", stdout);
        Assert.Contains("arena bytes", stdout);
        int peak = PeakOf(stdout);
        Assert.InRange(peak, 1, target);
        Assert.Equal(peak, NanonetPlanner.Plan(File.ReadAllBytes(Model(shipped))).PeakBytes);
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void PlannedRunsMatchGoldenOutputsAtSeveralBudgets(string shipped, string refName, int target)
    {
        _ = target;
        var blob = File.ReadAllBytes(Model(shipped));
        var model = RefModel.Get(refName);
        int min = NanonetPlanner.Plan(blob).MinBudget;
        int layer = NanonetEngine.ArenaSize(blob);
        foreach (int budget in new[] { 0, min, (min + layer) / 2, layer * 2 })
        {
            var plan = NanonetPlanner.Plan(blob, budget);
            Assert.True(budget == 0 || plan.PeakBytes <= budget);
            foreach (var (input, expected) in model.GoldenOutputs())
            {
                var bytes = File.ReadAllBytes(model.Input(input));
                var x = new sbyte[bytes.Length];
                Buffer.BlockCopy(bytes, 0, x, 0, bytes.Length);
                Assert.Equal(expected, NanonetPlanner.RunPlanned(blob, x, budget));
                Assert.Equal(NanonetEngine.Run(blob, x), NanonetPlanner.RunPlanned(blob, x, budget));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void RunWithSramBudgetIsStreamedAndGolden(string shipped, string refName, int target)
    {
        var model = RefModel.Get(refName);
        foreach (var budget in new[] { "0", target.ToString(CultureInfo.InvariantCulture) })
        {
            foreach (var (input, expected) in model.GoldenOutputs())
            {
                var (code, stdout, stderr) = CliRunner.Run("run", Model(shipped), model.Input(input), "--format", "raw", "--sram-budget", budget);
                Assert.True(code == 0, stderr);
                Assert.Equal(model.Input(input) + " " + string.Join(" ", expected.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "\n",
                    stdout.Replace("\r\n", "\n"));
            }
        }

        CliRunner.AssertOneLineError(CliRunner.Run("run", Model(shipped), model.Input("tflm_person"), "--sram-budget", "1000"));
    }

    [Fact]
    public void OverBudgetNamesTheSmallestBudget()
    {
        int min = NanonetPlanner.Plan(File.ReadAllBytes(Model("person_detect"))).MinBudget;
        var result = CliRunner.Run("plan", Model("person_detect"), "--sram-budget", (min - 1).ToString(CultureInfo.InvariantCulture));
        var line = CliRunner.AssertOneLineError(result);
        Assert.Contains($"smallest budget that works is {min} bytes", line);
        var ok = CliRunner.Run("plan", Model("person_detect"), "--sram-budget", min.ToString(CultureInfo.InvariantCulture));
        Assert.True(ok.Code == 0, ok.Err);
        Assert.True(PeakOf(ok.Out) <= min);
    }

    [Fact]
    public void ALargerBudgetStreamsLessAndStaysWithinIt()
    {
        var blob = File.ReadAllBytes(Model("mobilenet_v2_035_96_gray"));
        var small = NanonetPlanner.Plan(blob);
        int layer = NanonetEngine.ArenaSize(blob);
        var large = NanonetPlanner.Plan(blob, layer);
        Assert.True(large.PeakBytes <= layer);
        Assert.True(large.Steps.Count(s => s.Streamed) <= small.Steps.Count(s => s.Streamed));
        Assert.True(small.PeakBytes < large.PeakBytes);
    }

    [Fact]
    public void ArchPlansWithoutWeights()
    {
        var (code, stdout, stderr) = CliRunner.Run("plan", "--arch", "mobilenet-v2", "--alpha", "0.25", "--resolution", "96",
            "--channels", "3", "--classes", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("mobilenet-v2", stdout);
        int v2 = PeakOf(stdout);
        Assert.InRange(v2, 1000, 64000);

        // MobileNet v1 0.25 at 96x96x1 is person_detect's architecture: the same plan.
        var v1 = CliRunner.Run("plan", "--arch", "mobilenet-v1", "--alpha", "0.25", "--resolution", "96", "--channels", "1",
            "--classes", "2");
        Assert.True(v1.Code == 0, v1.Err);
        Assert.Equal(NanonetPlanner.Plan(File.ReadAllBytes(Model("person_detect"))).PeakBytes, PeakOf(v1.Out));

        var blob = ArchModel.Build("mobilenet-v2", 0.35, 96, 1, 2);
        Assert.True(NanonetEngine.Validate(blob).IsOk);
        Assert.Equal(1280, Nanonet.Packing.NnbFile.Parse(blob).Tensors.Max(t => t.Shape[^1]));
    }

    [Fact]
    public void ArchRejectsBadArguments()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("plan", "--arch", "mobilenet-v3"));
        CliRunner.AssertOneLineError(CliRunner.Run("plan", "--arch", "mobilenet-v2", "--channels", "2"));
        CliRunner.AssertOneLineError(CliRunner.Run("plan"));
        CliRunner.AssertOneLineError(CliRunner.Run("plan", Model("person_detect"), "--arch", "mobilenet-v1"));
    }

    [Fact]
    public void PlotWritesAValidSvg()
    {
        var svg = _tmp.File("plan.svg");
        var (code, stdout, stderr) = CliRunner.Run("plan", Model("person_detect"), "--plot", svg);
        Assert.True(code == 0, stderr);
        var doc = XDocument.Load(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", doc.Root!.Name);
        var plan = NanonetPlanner.Plan(File.ReadAllBytes(Model("person_detect")));
        Assert.True(doc.Descendants(ns + "rect").Count() >= plan.Steps.Count);
        Assert.Contains("peak_bytes " + PeakOf(stdout).ToString("N0", CultureInfo.InvariantCulture), File.ReadAllText(svg));

        var texts = doc.Descendants(ns + "text").Select(t => (Text: t.Value, X: double.Parse(t.Attribute("x")!.Value, CultureInfo.InvariantCulture),
            Anchor: t.Attribute("text-anchor")?.Value, Size: double.Parse(t.Attribute("font-size")!.Value, CultureInfo.InvariantCulture))).ToList();
        double width = double.Parse(doc.Root.Attribute("width")!.Value, CultureInfo.InvariantCulture);
        // the legend is inside the picture: each entry's text (at 0.6 em a glyph) ends before the right edge
        foreach (var (name, _) in PlanPlot.Parts)
        {
            var entry = Assert.Single(texts, t => t.Text == name);
            Assert.True(entry.X + (name.Length * entry.Size * 0.6) <= width, $"legend '{name}' clipped");
        }

        // the steps are numbered as in the table
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            Assert.Contains(texts, t => t.Text == i.ToString(CultureInfo.InvariantCulture) && t.Anchor == "middle");
        }

        // the value axis: round ticks (a multiple of 1, 2 or 5 times a power of ten), up to at least peak_bytes
        var ticks = texts.Where(t => t.Anchor == "end" && long.TryParse(t.Text.Replace(",", string.Empty, StringComparison.Ordinal), out _))
            .Select(t => long.Parse(t.Text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToList();
        Assert.True(ticks.Count >= 3, "tick labels");
        long step = ticks[1] - ticks[0];
        Assert.Equal(PlanPlot.TickStep(plan.PeakBytes), step);
        Assert.All(ticks, t => Assert.Equal(0, t % step));
        Assert.True(ticks.Max() >= plan.PeakBytes);
        Assert.Contains(step / (long)Math.Pow(10, Math.Floor(Math.Log10(step))), new long[] { 1, 2, 5 });
        Assert.DoesNotContain(doc.Descendants(ns + "line"), l => l.Attribute("stroke-dasharray") is not null); // no budget given
    }

    [Fact]
    public void PlotDrawsTheBudgetAndWritesAPngByTheExtension()
    {
        var png = _tmp.File("plan.png");
        var (code, _, stderr) = CliRunner.Run("plan", Model("person_detect"), "--sram-budget", "24000", "--plot", png);
        Assert.True(code == 0, stderr);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        using var bitmap = SkiaSharp.SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width > 600 && bitmap.Height > 300, $"{bitmap.Width}x{bitmap.Height}");

        var svg = _tmp.File("budget.svg");
        Assert.Equal(0, CliRunner.Run("plan", Model("person_detect"), "--sram-budget", "24000", "--plot", svg).Code);
        var doc = XDocument.Load(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Single(doc.Descendants(ns + "line"), l => l.Attribute("stroke-dasharray") is not null);
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "budget 24,000");

        Assert.Contains("name a .svg or a .png file", CliRunner.AssertOneLineError(CliRunner.Run("plan", Model("person_detect"), "--plot", _tmp.File("plan.gif"))));
        Assert.False(File.Exists(_tmp.File("plan.gif")));
    }

    [Fact]
    public void TheTableColumnsAddUpToTheArena()
    {
        var (code, stdout, stderr) = CliRunner.Run("plan", Model("person_detect"));
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| \d+ ")).ToList();
        var plan = NanonetPlanner.Plan(File.ReadAllBytes(Model("person_detect")));
        Assert.Equal(plan.Steps.Count, rows.Count);
        foreach (var row in rows)
        {
            var cells = row.Trim('|', ' ').Split('|').Select(c => c.Trim()).ToArray();
            long Cell(int i) => long.Parse(cells[i].Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            // tensors + row windows + quant + plan, slack, placement = arena bytes
            Assert.Equal(Cell(9), Cell(5) + Cell(6) + Cell(7) + Cell(8));
        }
    }
}
