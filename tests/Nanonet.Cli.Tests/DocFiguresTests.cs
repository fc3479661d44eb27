using System.Globalization;
using System.Text.RegularExpressions;

namespace Nanonet.Cli.Tests;

/// <summary>
/// Figures the docs quote from the tools (peak bytes of the shipped models and of weightless architectures, layer
/// by layer and at the smallest plan; the bundled models' sizes and MACs; the published int8 VWW model's coco64
/// score) checked against what the tools print now: a changed figure fails this suite,
/// naming the doc, the line, the figure and the command that prints the new one.
/// </summary>
public sealed class DocFiguresTests
{
    /// <summary>The shipped models as the docs' tables name them.</summary>
    private static readonly Dictionary<string, string> ModelFiles = new(StringComparer.Ordinal)
    {
        ["person_detect"] = "person_detect.nnb",
        ["vww_96"] = "vww_96.nnb",
        ["MobileNet v2 0.35 96x96 gray"] = "mobilenet_v2_035_96_gray.nnb",
        ["MobileNet v2 0.35 96x96"] = "mobilenet_v2_035_96_gray.nnb",
    };

    private static readonly Dictionary<string, long> Printed = new(StringComparer.Ordinal);

    /// <summary>One figure a doc quotes and the one the tool prints.</summary>
    internal sealed record Check(int Line, long Quoted, string Command, long Actual)
    {
        public bool Holds => Quoted == Actual;

        public override string ToString() =>
            $"line {Line}: the doc says {Quoted.ToString("N0", CultureInfo.InvariantCulture)}, `nanonet {Command}` prints {Actual.ToString("N0", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The last "peak_bytes N" (plan) or "peak_bytes: N" (bench) a command prints.</summary>
    private static long PeakBytes(string command)
    {
        lock (Printed)
        {
            if (Printed.TryGetValue(command, out long cached))
            {
                return cached;
            }
        }

        var (code, stdout, stderr) = CliRunner.Run(command.Split(' '));
        Assert.True(code == 0, $"nanonet {command}: {stderr}");
        var m = Regex.Matches(stdout.Replace("\r\n", "\n", StringComparison.Ordinal), @"^peak_bytes:? (\d+)$", RegexOptions.Multiline).LastOrDefault();
        Assert.True(m is not null, $"nanonet {command} printed no peak_bytes: {stdout}");
        long value = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        lock (Printed)
        {
            Printed[command] = value;
        }

        return value;
    }

    private static readonly Dictionary<string, string> Inspected = new(StringComparer.Ordinal);

    /// <summary>A figure of `inspect --format json`, one run a model.</summary>
    private static long Inspect(string model, string key)
    {
        string? json;
        lock (Inspected)
        {
            Inspected.TryGetValue(model, out json);
        }

        if (json is null)
        {
            var (code, stdout, stderr) = CliRunner.Run("inspect", model, "--format", "json");
            Assert.True(code == 0, stderr);
            json = stdout;
            lock (Inspected)
            {
                Inspected[model] = json;
            }
        }

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty(key).GetInt64();
    }

    private static long Coco64Correct(string model)
    {
        var (code, stdout, stderr) = CliRunner.Run("eval", model, "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels,
            "--label-column", "person_vww_0p5pct", "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("correct").GetInt64();
    }

    private static long Number(string text) => long.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static string Plan(string model) => $"plan {Path.Combine(TestPaths.Models, ModelFiles[model])}";

    private static string LayerByLayer(string model) => $"bench {Path.Combine(TestPaths.Models, ModelFiles[model])} --layer-by-layer -n 1";

    /// <summary>Every checkable figure of a doc's text, with what the tools print for it.</summary>
    internal static IReadOnlyList<Check> Checks(string text)
    {
        var checks = new List<Check>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int n = i + 1;

            // docs/memory-planner.md, architectures without weights:
            // | mobilenet-v2 1.0, 224x224x3, 1000 classes | 150,239 |
            var arch = Regex.Match(line, @"^\| mobilenet-(v[12]) ([0-9.]+), (\d+)x\d+x(\d)(?:, (\d+) classes)?[^|]*\| ([\d,]+) \|$");
            if (arch.Success)
            {
                var cmd = $"plan --arch mobilenet-{arch.Groups[1].Value} --alpha {arch.Groups[2].Value} --resolution {arch.Groups[3].Value} --channels {arch.Groups[4].Value}"
                    + (arch.Groups[5].Success ? $" --classes {arch.Groups[5].Value}" : string.Empty);
                checks.Add(new Check(n, Number(arch.Groups[6].Value), cmd, PeakBytes(cmd)));
                continue;
            }

            // docs/memory-planner.md, measured: | model | **planned** | smallest budget | layer by layer (...) | ...
            var measured = Regex.Match(line, @"^\| ([^|]+?) \| \*\*([\d,]+)\*\* \| ([\d,]+) \| ([\d,]+)[ (]");
            if (measured.Success && ModelFiles.ContainsKey(measured.Groups[1].Value))
            {
                var model = measured.Groups[1].Value;
                checks.Add(new Check(n, Number(measured.Groups[2].Value), Plan(model), PeakBytes(Plan(model))));
                checks.Add(new Check(n, Number(measured.Groups[3].Value), Plan(model), PeakBytes(Plan(model))));
                checks.Add(new Check(n, Number(measured.Groups[4].Value), LayerByLayer(model), PeakBytes(LayerByLayer(model))));
                continue;
            }

            // README.md, memory and speed: | person_detect | 16,463 B | 58,895 B | 85,232 B |
            var readme = Regex.Match(line, @"^\| ([^|]+?) \| ([\d,]+) B \| ([\d,]+) B \| [\d,]+ B \|$");
            if (readme.Success && ModelFiles.ContainsKey(readme.Groups[1].Value))
            {
                var model = readme.Groups[1].Value;
                checks.Add(new Check(n, Number(readme.Groups[2].Value), Plan(model), PeakBytes(Plan(model))));
                checks.Add(new Check(n, Number(readme.Groups[3].Value), LayerByLayer(model), PeakBytes(LayerByLayer(model))));
                continue;
            }

            // README.md, bundled models: | `models/person_detect.nnb` | what | 224,998 B | 300,568 B | 7,157,888 | labels |
            var bundled = Regex.Match(line, @"^\| `models/([a-z0-9_]+\.nnb)` \| [^|]+ \| ([\d,]+) B \| [\d,]+ B \| ([\d,]+) \|");
            if (bundled.Success)
            {
                var path = Path.Combine(TestPaths.Models, bundled.Groups[1].Value);
                checks.Add(new Check(n, Number(bundled.Groups[2].Value), $"inspect {path} -f json (model_bytes)", Inspect(path, "model_bytes")));
                checks.Add(new Check(n, Number(bundled.Groups[3].Value), $"inspect {path} -f json (total_macs)", Inspect(path, "total_macs")));
                continue;
            }

            // docs/memory-planner.md: "MACs executed at every budget: person_detect 7,157,888, vww_96 ..., MobileNet v2 ..."
            var macs = Regex.Match(line, @"^MACs executed at every budget: person_detect ([\d,]+), vww_96 ([\d,]+), MobileNet v2 ([\d,]+)\.");
            if (macs.Success)
            {
                string[] files = ["person_detect.nnb", "vww_96.nnb", "mobilenet_v2_035_96_gray.nnb"];
                for (int k = 0; k < 3; k++)
                {
                    var path = Path.Combine(TestPaths.Models, files[k]);
                    checks.Add(new Check(n, Number(macs.Groups[k + 1].Value), $"inspect {path} -f json (total_macs)", Inspect(path, "total_macs")));
                }

                continue;
            }

            // docs/quantization.md: the published int8 model's correct count on coco64
            var published = Regex.Match(line, @"^\| `mlperf_tiny_vww_96_int8\.tflite` \(published int8\) \| Nanonet C engine \| (\d+) / 64 \|");
            if (published.Success)
            {
                var model = TestPaths.RefModel("mlperf_tiny_vww_96_int8.tflite");
                checks.Add(new Check(n, Number(published.Groups[1].Value), $"eval {model} on coco64 -f json (correct)", Coco64Correct(model)));
                continue;
            }

            // docs/performance.md, the callgrind table's header: person_detect's arenas
            foreach (Match m in Regex.Matches(line, @"smallest memory plan \(streamed, ([\d,]+) B\)"))
            {
                checks.Add(new Check(n, Number(m.Groups[1].Value), Plan("person_detect"), PeakBytes(Plan("person_detect"))));
            }

            foreach (Match m in Regex.Matches(line, @"fast kernels, layer by layer \(([\d,]+) B\)"))
            {
                checks.Add(new Check(n, Number(m.Groups[1].Value), LayerByLayer("person_detect"), PeakBytes(LayerByLayer("person_detect"))));
            }
        }

        return checks;
    }

    [Theory]
    [InlineData("docs/memory-planner.md", 17)]
    [InlineData("README.md", 12)]
    [InlineData("docs/performance.md", 2)]
    [InlineData("docs/quantization.md", 1)]
    public void TheDocsQuoteWhatTheToolsPrint(string doc, int expectedFigures)
    {
        var checks = Checks(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, doc)));
        // the patterns still find every figure (a reworded table must not turn the check into a no-op)
        Assert.True(checks.Count == expectedFigures, $"{doc}: {checks.Count} figures found, {expectedFigures} expected");
        var wrong = checks.Where(c => !c.Holds).Select(c => $"{doc} {c}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>Markdown tables whose rows do not all have the header's cells, or that do not follow a blank line.</summary>
    internal static IReadOnlyList<string> MalformedTables(string text)
    {
        static int Cells(string row) => row.Replace("\\|", string.Empty, StringComparison.Ordinal).Trim().Trim('|').Split('|').Length;
        var problems = new List<string>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        bool code = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                code = !code;
            }

            if (code || !lines[i].StartsWith('|') || i + 1 >= lines.Length || !Regex.IsMatch(lines[i + 1], @"^\|[-:| ]+\|$"))
            {
                continue;
            }

            if (i > 0 && lines[i - 1].Trim().Length > 0 && !lines[i - 1].StartsWith('|'))
            {
                problems.Add($"line {i + 1}: a table right after a line of text (no blank line: it renders as text)");
            }

            int header = Cells(lines[i]);
            int j = i + 1;
            for (; j < lines.Length && lines[j].StartsWith('|'); j++)
            {
                if (Cells(lines[j]) != header)
                {
                    problems.Add($"line {j + 1}: {Cells(lines[j])} cells in a table of {header} columns");
                }
            }

            i = j - 1;
        }

        return problems;
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/memory-planner.md")]
    [InlineData("docs/performance.md")]
    [InlineData("docs/model-format.md")]
    [InlineData("docs/serial-protocol.md")]
    [InlineData("docs/firmware.md")]
    [InlineData("docs/quantization.md")]
    [InlineData("docs/esp-nn.md")]
    public void EveryTableIsWellFormed(string doc)
    {
        var problems = MalformedTables(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, doc)));
        Assert.True(problems.Count == 0, doc + ": " + string.Join("; ", problems));
        Assert.Single(MalformedTables("text\n| a | b |\n|---|---|\n| 1 | 2 |\n")); // no blank line before
        Assert.Single(MalformedTables("\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n")); // a cell too many
    }

    [Fact]
    public void AChangedFigureIsCaughtAndNamed()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs/memory-planner.md"));
        var changed = text.Replace("| 150,239 |", "| 150,240 |", StringComparison.Ordinal);
        Assert.NotEqual(text, changed);
        var wrong = Checks(changed).Where(c => !c.Holds).ToList();
        var only = Assert.Single(wrong);
        Assert.Equal(150_240, only.Quoted);
        Assert.Equal(150_239, only.Actual);
        Assert.Contains("plan --arch mobilenet-v2 --alpha 1.0 --resolution 224 --channels 3 --classes 1000", only.ToString());
    }
}
