using System.CommandLine;
using System.Globalization;
using Nanonet.Imaging;
using Nanonet.Native;
using Nanonet.Packing;

namespace Nanonet.Cli;

/// <summary>The result of one inference.</summary>
/// <param name="Input">The input path as given.</param>
/// <param name="Output">The int8 output tensor.</param>
/// <param name="Scores">The output dequantised: scale * (q - zero point).</param>
/// <param name="TopIndex">Index of the highest score.</param>
/// <param name="TopLabel">Label of the highest score (its index when the model has no labels).</param>
public sealed record InferenceResult(string Input, sbyte[] Output, float[] Scores, int TopIndex, string TopLabel);

/// <summary><c>nanonet run MODEL INPUT... [--format text|json|raw]</c>.</summary>
public static class RunCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the results go.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "A packed model (.nnb) or a .tflite (packed in memory)." };
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "Raw int8 input tensors (.i8) or pictures (.jpg .jpeg .png .bmp .pgm .ppm).",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text: top label and scores; json: an array of results; raw: the int8 output values.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "raw");
        var budget = new Option<int?>("--sram-budget")
        {
            Description = "Run row-streamed with the memory plan for this arena budget in bytes (0: the smallest plan; see `nanonet plan`).",
        };
        var frame = CameraFrame.FrameOption();
        var command = new Command("run", "Run a model on inputs with the native engine.") { model, inputs, format, budget, frame };
        command.SetAction(parse => Execute(parse.GetValue(model)!, parse.GetValue(inputs)!, parse.GetValue(format)!, stdout,
            parse.GetValue(budget), parse.GetValue(frame) is { } f ? CameraFrame.Parse(f) : null));
        return command;
    }

    /// <summary>Builds the model's input tensor from an input file (.i8 fed unchanged, a picture through the image pipeline).</summary>
    /// <summary>An input named by a folder is refused as such (not as an unsupported file type).</summary>
    /// <param name="path">The input path.</param>
    public static void RequireFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"input '{path}' is a folder, not a file (give a raw .i8 tensor or a picture)");
        }
    }

    /// <param name="file">The packed model.</param>
    /// <param name="path">The input file.</param>
    /// <returns>The int8 input tensor.</returns>
    public static sbyte[] LoadInput(NnbFile file, string path)
    {
        RequireFile(path);
        if (IsRawTensor(path))
        {
            return ReadRawTensor(path, file.Input.ElementCount, "the model's input tensor has");
        }

        if (!ImagePreprocessor.IsSupportedImage(path))
        {
            throw new CliException($"input '{path}': unsupported input type (give a raw .i8 tensor or a .jpg .jpeg .png .bmp .pgm .ppm picture)");
        }

        return ImagePreprocessor.Load(path, ImageSpec(file, path));
    }

    /// <summary>Whether an input file is a raw int8 tensor (.i8), fed as it is.</summary>
    /// <param name="path">The input file.</param>
    /// <returns>True for .i8.</returns>
    public static bool IsRawTensor(string path) => Path.GetExtension(path).Equals(".i8", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a raw int8 tensor (.i8) that must hold exactly <paramref name="expected"/> values.</summary>
    /// <param name="path">The .i8 file.</param>
    /// <param name="expected">The values the model takes.</param>
    /// <param name="whose">How the error names the expectation, e.g. "the model's input tensor has".</param>
    /// <returns>The tensor.</returns>
    public static sbyte[] ReadRawTensor(string path, int expected, string whose)
    {
        var bytes = ModelLoader.ReadFile(path, "input");
        if (bytes.Length != expected)
        {
            throw new CliException($"input '{path}' has {bytes.Length} bytes but {whose} {expected} values");
        }

        var input = new sbyte[bytes.Length];
        Buffer.BlockCopy(bytes, 0, input, 0, bytes.Length);
        return input;
    }

    /// <summary>The image pipeline's view of the model's input: H x W, channels and pixel tables.</summary>
    /// <param name="file">The packed model.</param>
    /// <param name="path">The input file (for messages).</param>
    /// <returns>The spec.</returns>
    public static InputImageSpec ImageSpec(NnbFile file, string path)
    {
        int channels = file.ColourLayout switch
        {
            ColourLayout.Gray8 => 1,
            ColourLayout.Rgb888 => 3,
            _ => throw new CliException($"input '{path}': the model takes raw int8 input (no colour layout): give a .i8 file"),
        };
        var shape = file.Input.Shape;
        if (shape.Length != 4 || shape[0] != 1 || shape[3] != channels)
        {
            throw new CliException($"input '{path}': the model's input shape [{string.Join(",", shape)}] is not a [1,H,W,{channels}] picture");
        }

        return new InputImageSpec(shape[1], shape[2], channels, file.PixelTables);
    }

    /// <summary>Runs the model on one input.</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="inputPath">The input file.</param>
    /// <param name="sramBudget">When set, run row-streamed with the memory plan for this arena budget (0: the smallest).</param>
    /// <returns>The result.</returns>
    public static InferenceResult Infer(LoadedModel model, string inputPath, int? sramBudget = null) =>
        Infer(model, inputPath, LoadInput(model.File, inputPath), sramBudget);

    private static InferenceResult Infer(LoadedModel model, string inputPath, sbyte[] input, int? sramBudget)
    {
        var file = model.File;
        var output = sramBudget is int budget ? RunPlanned(model, budget, input) : NanonetEngine.Run(model.Blob, input);
        var scores = output.Select(q => file.Output.Scale * (q - file.Output.ZeroPoint)).ToArray();
        int top = 0;
        for (int i = 1; i < output.Length; i++)
        {
            if (output[i] > output[top])
            {
                top = i;
            }
        }

        return new InferenceResult(inputPath, output, scores, top, Label(file, top));
    }

    private static string Label(NnbFile file, int index) =>
        index < file.Labels.Count ? file.Labels[index] : index.ToString(CultureInfo.InvariantCulture);

    private static string F(float value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static sbyte[] RunPlanned(LoadedModel model, int budget, sbyte[] input)
    {
        if (budget < 0)
        {
            throw new CliException($"--sram-budget must be >= 0, not {budget}");
        }

        try
        {
            return NanonetPlanner.RunPlanned(model.Blob, input, budget);
        }
        catch (OverBudgetException e)
        {
            throw new CliException($"the model does not fit in {e.Budget} bytes: the smallest budget that works is {e.MinBudget} bytes");
        }
    }

    private static int Execute(string modelPath, string[] inputs, string format, TextWriter stdout, int? sramBudget = null,
        CameraFrame.Spec? frame = null)
    {
        var model = ModelLoader.Load(modelPath);
        // A broken input does not cost the others their results: they are printed, and the first failure is
        // the command's one error line (exit code 1).
        var results = new List<InferenceResult>();
        var order = new List<(InferenceResult? Result, string Input, string? Error)>(); // every input, in order (JSON)
        string? firstFailure = null;
        int failures = 0;
        CameraFrame.Reader? frames = null;
        foreach (var input in inputs)
        {
            sbyte[] tensor;
            try
            {
                tensor = frame is null ? LoadInput(model.File, input) : (frames ??= new CameraFrame.Reader(model.Blob, frame)).Load(input);
            }
            catch (Exception ex) when (ex is ImageDecodeException or CliException)
            {
                firstFailure ??= ex.Message;
                failures++;
                order.Add((null, input, ex.Message));
                continue;
            }

            var result = Infer(model, input, tensor, sramBudget); // engine and budget errors stop the command
            results.Add(result);
            order.Add((result, input, null));
        }

        switch (format)
        {
            case "raw":
                foreach (var r in results)
                {
                    stdout.WriteLine(r.Input + " " + string.Join(" ", r.Output.Select(v => v.ToString(CultureInfo.InvariantCulture))));
                }

                break;
            case "json":
                JsonOutput.Write(stdout, ToJson(order));
                break;
            default:
                foreach (var r in results)
                {
                    var all = string.Join(" ", r.Scores.Select((s, i) => $"{Label(model.File, i)}={F(s)}"));
                    stdout.WriteLine($"{r.Input}: {r.TopLabel} {F(r.Scores[r.TopIndex])} ({all})");
                }

                break;
        }

        if (firstFailure is not null)
        {
            throw new CliException(failures == 1 ? firstFailure : $"{firstFailure} ({failures - 1} more of the {inputs.Length} inputs failed too)");
        }

        return 0;
    }

    /// <summary>Every input in order: a result, or {"input", "error"} for one that could not be read.</summary>
    private static object[] ToJson(IReadOnlyList<(InferenceResult? Result, string Input, string? Error)> entries) =>
        entries.Select(e => e.Result is not { } r
            ? (object)new Dictionary<string, object?> { ["input"] = e.Input, ["error"] = e.Error }
            : new Dictionary<string, object?>
            {
                ["input"] = r.Input,
                ["output"] = r.Output,
                ["scores"] = r.Scores,
                ["top"] = new Dictionary<string, object?> { ["index"] = r.TopIndex, ["label"] = r.TopLabel, ["score"] = r.Scores[r.TopIndex] },
            }).ToArray();
}
