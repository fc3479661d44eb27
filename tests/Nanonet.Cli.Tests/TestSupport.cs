namespace Nanonet.Cli.Tests;

/// <summary>Locates the repository (the folder holding Directory.Build.props) and ../shared.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Samples => Path.Combine(RepoRoot, "samples");

    public static string RefModel(string file) => Path.Combine(Shared, "refmodels", file);

    public static string GoldenInput(string name) => Path.Combine(Shared, "golden", "inputs", name);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Directory.Build.props not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A reference model and the golden data that goes with it.</summary>
public sealed record RefModel(string Name, string File, string TensorDir, string InputKind)
{
    public static IReadOnlyList<RefModel> All { get; } =
    [
        new("person_detect", "tflm_person_detect_int8.tflite", "tflm_person_detect_int8", "gray96"),
        new("vww96", "mlperf_tiny_vww_96_int8.tflite", "mlperf_tiny_vww_96_int8", "rgb96"),
        new("ei_mbv2", "ei_mobilenetv2_035_96_gray_int8.tflite", "ei_mobilenetv2_035_96_gray_int8", "gray96"),
    ];

    public static RefModel Get(string name) => All.Single(m => m.Name == name);

    public string Path => TestPaths.RefModel(File);

    public string Input(string picture) => TestPaths.GoldenInput($"{picture}.{InputKind}.i8");

    /// <summary>Golden outputs.txt rows of this model: input name (e.g. tflm_person) to the int8 outputs.</summary>
    public IReadOnlyList<(string Input, sbyte[] Output)> GoldenOutputs()
    {
        var rows = new List<(string, sbyte[])>();
        foreach (var line in System.IO.File.ReadAllLines(System.IO.Path.Combine(TestPaths.Shared, "golden", "outputs.txt")))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[1] == Name)
            {
                rows.Add((parts[0], parts[2..].Select(sbyte.Parse).ToArray()));
            }
        }

        return rows;
    }
}

/// <summary>Runs the CLI in-process.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts a failed run printed exactly one "nanonet: error: ..." line and returns it.</summary>
    public static string AssertOneLineError((int Code, string Out, string Err) result)
    {
        Assert.NotEqual(0, result.Code);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("nanonet: error: ", lines[0]);
        Assert.DoesNotContain("   at ", result.Err);
        return lines[0];
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nanonet-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
        }
    }
}
