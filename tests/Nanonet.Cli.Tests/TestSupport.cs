namespace Nanonet.Cli.Tests;

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
