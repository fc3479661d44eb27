using System.Text.Json;
using Nanonet.Native;
using Nanonet.Packing;

namespace Nanonet.Cli.Tests;

/// <summary>
/// <c>--format json</c> of inspect, plan, bench, eval and run: each prints one JSON document and nothing else, parsed
/// back here and held to the engine's and the text output's figures.
/// </summary>
public sealed class JsonFormatTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Model => Path.Combine(TestPaths.Models, "person_detect.nnb");

    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout); // the whole of stdout is one document
        return doc.RootElement.Clone();
    }

    [Fact]
    public void InspectJsonHoldsTheModel()
    {
        var blob = File.ReadAllBytes(Model);
        var file = NnbFile.Parse(blob);
        var j = Json("inspect", Model, "--format", "json");
        Assert.Equal(file.Ops.Count, j.GetProperty("ops").GetArrayLength());
        Assert.Equal(NanonetEngine.Macs(blob), j.GetProperty("total_macs").GetInt64());
        Assert.Equal(NanonetEngine.ArenaSize(blob), j.GetProperty("arena_bytes_layer_by_layer").GetInt32());
        Assert.Equal(NanonetPlanner.Plan(blob).PeakBytes, j.GetProperty("peak_bytes_smallest_plan").GetInt32());
        Assert.Equal(blob.Length, j.GetProperty("model_bytes").GetInt32());
        Assert.Equal(file.Input.Shape, j.GetProperty("input").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal(["no person", "person"], j.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray());
        var op0 = j.GetProperty("ops")[0];
        Assert.Equal(file.Ops[0].Macs, op0.GetProperty("macs").GetInt64());
        Assert.Equal(file.Ops[0].Code.ToString(), op0.GetProperty("op").GetString());
    }

    [Fact]
    public void PlanJsonHoldsThePlan()
    {
        var plan = NanonetPlanner.Plan(File.ReadAllBytes(Model));
        var j = Json("plan", Model, "-f", "json");
        Assert.Equal(plan.PeakBytes, j.GetProperty("peak_bytes").GetInt32());
        Assert.Equal(plan.MinBudget, j.GetProperty("smallest_budget").GetInt32());
        Assert.Equal(plan.Steps.Count, j.GetProperty("steps").GetArrayLength());
        Assert.Equal(plan.Steps.Count(s => s.Streamed), j.GetProperty("steps").EnumerateArray().Count(s => s.GetProperty("streamed").GetBoolean()));
        Assert.Equal(plan.Steps.Max(s => (long)s.ArenaEnd), j.GetProperty("steps").EnumerateArray().Max(s => s.GetProperty("arena_end").GetInt64()));
    }

    [Fact]
    public void BenchJsonHoldsTheFigures()
    {
        var input = RefModel.Get("person_detect").Input("tflm_person");
        var j = Json("bench", Model, "-n", "3", "--input", input, "--format", "json");
        Assert.Equal(7_157_888, j.GetProperty("macs").GetInt64());
        Assert.Equal(16_463, j.GetProperty("peak_bytes").GetInt32());
        Assert.Equal([-113, 113], j.GetProperty("output").EnumerateArray().Select(e => e.GetInt32()).ToArray()); // golden
        var t = j.GetProperty("us_per_inference");
        var figures = new[] { "min", "median", "p90", "max" }.Select(k => t.GetProperty(k).GetDouble()).ToArray();
        Assert.Equal(figures.Order().ToArray(), figures);
        Assert.Equal("planned", j.GetProperty("execution").GetString());
        Assert.Equal("layer_by_layer", Json("bench", Model, "-n", "1", "--layer-by-layer", "--format", "json").GetProperty("execution").GetString());
    }

    [Fact]
    public void EvalJsonHoldsTheAccuracyAndEveryPrediction()
    {
        var args = new[] { "eval", Path.Combine(TestPaths.Models, "vww_96.nnb"), "--images", TestPaths.Coco64Images, "--labels",
            TestPaths.Coco64Labels, "--label-column", "person_vww_0p5pct" };
        var text = CliRunner.Run(args);
        Assert.True(text.Code == 0, text.Err);
        var accuracyLine = text.Out.TrimEnd().Split('\n')[^1];
        var j = Json([.. args, "--format", "json"]);
        Assert.Equal(accuracyLine, "accuracy " + j.GetProperty("accuracy").GetDouble().ToString("0.######", System.Globalization.CultureInfo.InvariantCulture));
        var predictions = j.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(j.GetProperty("pictures").GetInt32(), predictions.Length);
        Assert.Equal(j.GetProperty("correct").GetInt32(), predictions.Count(p => p.GetProperty("label").GetInt32() == p.GetProperty("predicted").GetInt32()));
        int diagonal = 0;
        var matrix = j.GetProperty("confusion").EnumerateArray().ToArray();
        for (int k = 0; k < matrix.Length; k++)
        {
            diagonal += matrix[k][k].GetInt32();
        }

        Assert.Equal(j.GetProperty("correct").GetInt32(), diagonal);
    }

    [Fact]
    public void RunJsonListsAFailedInputWithItsError()
    {
        var broken = _tmp.File("broken.png");
        File.WriteAllText(broken, "not a picture");
        var person = Path.Combine(TestPaths.Samples, "person.png");
        var (code, stdout, stderr) = CliRunner.Run("run", Model, person, broken, "--format", "json");
        Assert.Equal(1, code); // still a failed command, with its one error line
        Assert.Contains("broken.png", CliRunner.AssertOneLineError((code, stdout, stderr)));
        using var doc = JsonDocument.Parse(stdout);
        var entries = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, entries.Length); // in input order
        Assert.Equal(person, entries[0].GetProperty("input").GetString());
        Assert.Equal("person", entries[0].GetProperty("top").GetProperty("label").GetString());
        Assert.Equal(broken, entries[1].GetProperty("input").GetString());
        Assert.Contains("broken.png", entries[1].GetProperty("error").GetString());
        Assert.False(entries[1].TryGetProperty("output", out _));
    }
}
