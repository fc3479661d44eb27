using System.Text.Json;

namespace Nanonet.Cli.Tests;

/// <summary>
/// eval's report: the predictions CSV (one row per picture), the misclassified pictures in the text report, class
/// names as labels, and pictures listed by bare file name found in subfolders (or refused when ambiguous).
/// </summary>
public sealed class EvalReportTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Vww => Path.Combine(TestPaths.Models, "vww_96.nnb");

    private static string[] Coco64(params string[] more) =>
        ["eval", Vww, "--images", TestPaths.Coco64Images, "--labels", TestPaths.Coco64Labels, "--label-column", "person_vww_0p5pct", .. more];

    [Fact]
    public void PredictionsCsvHasARowPerPictureAndTheReportListsTheMisclassified()
    {
        var csvPath = _tmp.File("p.csv");
        var (code, stdout, stderr) = CliRunner.Run(Coco64("--predictions", csvPath));
        Assert.True(code == 0, stderr);
        var json = CliRunner.Run(Coco64("--format", "json"));
        using var doc = JsonDocument.Parse(json.Out);
        var predictions = doc.RootElement.GetProperty("predictions").EnumerateArray().ToArray();

        var rows = File.ReadAllLines(csvPath);
        Assert.Equal("file,label,predicted,score", rows[0]);
        Assert.Equal(predictions.Length + 1, rows.Length);
        int wrong = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            var f = rows[i + 1].Split(',');
            Assert.Equal(Path.GetFileName(predictions[i].GetProperty("file").GetString()), f[0]);
            Assert.Equal(predictions[i].GetProperty("label").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), f[1]);
            Assert.Equal(predictions[i].GetProperty("predicted").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), f[2]);
            double score = double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(score, 0.5, 1.0); // the top score of two classes
            if (f[1] != f[2])
            {
                wrong++;
                Assert.Contains($"  {f[0]}: label ", stdout); // listed in the text report
            }
        }

        int pictures = doc.RootElement.GetProperty("pictures").GetInt32(), correct = doc.RootElement.GetProperty("correct").GetInt32();
        Assert.Equal(pictures - correct, wrong);
        Assert.Contains($"misclassified: {wrong}", stdout);
        Assert.True(wrong > 0, "coco64 on vww_96 has misclassified pictures (0.84375)");
    }

    [Fact]
    public void ClassNamesWorkAsLabels()
    {
        // the coco64 labels rewritten with vww_96's class names instead of indices
        var names = new[] { "no person", "person" };
        var lines = File.ReadAllLines(TestPaths.Coco64Labels);
        var header = lines[0].Split(',');
        int col = Array.IndexOf(header, "person_vww_0p5pct");
        var named = _tmp.File("named.csv");
        File.WriteAllLines(named, new[] { "file,label" }.Concat(lines.Skip(1).Select(l =>
        {
            var f = l.Split(',');
            return $"{f[0]},{(int.Parse(f[col], System.Globalization.CultureInfo.InvariantCulture) == 0 ? "No Person" : names[1])}";
        })));
        var byIndex = CliRunner.Run(Coco64());
        var byName = CliRunner.Run("eval", Vww, "--images", TestPaths.Coco64Images, "--labels", named);
        Assert.True(byName.Code == 0, byName.Err);
        Assert.Equal(byIndex.Out.TrimEnd().Split('\n')[^1], byName.Out.TrimEnd().Split('\n')[^1]); // same accuracy line

        File.WriteAllText(named, "file,label\n000000000009.jpg,cat\n");
        Assert.Contains("label 'cat' is neither a class index (0, 1, ...) nor a class name (no person, person)",
            CliRunner.AssertOneLineError(CliRunner.Run("eval", Vww, "--images", TestPaths.Coco64Images, "--labels", named)));
    }

    [Fact]
    public void BareNamesAreFoundInSubfoldersOrRefusedWhenAmbiguous()
    {
        var root = Directory.CreateDirectory(_tmp.File("pictures")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "a"));
        Directory.CreateDirectory(Path.Combine(root, "b"));
        File.Copy(Path.Combine(TestPaths.Samples, "person.png"), Path.Combine(root, "a", "x.png"));
        File.Copy(Path.Combine(TestPaths.Samples, "no_person.png"), Path.Combine(root, "b", "y.png"));
        var csv = _tmp.File("l.csv");
        File.WriteAllText(csv, "file,label\nx.png,1\ny.png,0\n");
        var person = Path.Combine(TestPaths.Models, "person_detect.nnb");
        var (code, stdout, stderr) = CliRunner.Run("eval", person, "--images", root, "--labels", csv);
        Assert.True(code == 0, stderr);
        Assert.EndsWith("accuracy 1", stdout.TrimEnd());

        File.Copy(Path.Combine(TestPaths.Samples, "person.png"), Path.Combine(root, "b", "x.png"));
        var line = CliRunner.AssertOneLineError(CliRunner.Run("eval", person, "--images", root, "--labels", csv));
        Assert.Contains($"picture 'x.png' is in more than one subfolder ({Path.Combine("a", "x.png")}, {Path.Combine("b", "x.png")})", line);

        File.WriteAllText(csv, "file,label\nz.png,1\n");
        Assert.Contains("picture 'z.png' is not in", CliRunner.AssertOneLineError(CliRunner.Run("eval", person, "--images", root, "--labels", csv)));
    }
}
