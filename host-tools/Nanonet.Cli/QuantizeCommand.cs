using System.CommandLine;
using System.Globalization;
using Nanonet.Imaging;
using Nanonet.Packing;
using Nanonet.Quantization;
using Nanonet.Tflite;
using Spectre.Console;

namespace Nanonet.Cli;

/// <summary>
/// <c>nanonet quantize FLOAT.tflite --calibration DIR [-o OUT.nnb] [--method minmax|percentile|mse] [--samples N]
/// [--report FILE] [--labels FILE]</c>: post-training int8 quantisation with calibration pictures.
/// </summary>
public static class QuantizeCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the summary goes.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("FLOAT_MODEL") { Description = "The float32 .tflite model to quantise." };
        var calibration = new Option<string>("--calibration", "-c")
        {
            Description = "Folder of calibration pictures (.jpg .jpeg .png .bmp .pgm .ppm), subfolders included.",
            Required = true,
        };
        var output = new Option<string?>("--output", "-o") { Description = "The packed int8 model (.nnb) to write (default: the model's name with .nnb, in the current directory)." };
        var method = new Option<string>("--method")
        {
            Description = "How activation ranges are chosen: minmax (TFLite's default), percentile (99.99th), mse.",
            DefaultValueFactory = _ => "minmax",
        };
        method.AcceptOnlyFromAmong("minmax", "percentile", "mse");
        var samples = new Option<int?>("--samples", "-n") { Description = "Use N pictures spread evenly over the folder's sorted list (default: all)." };
        var report = new Option<string?>("--report") { Description = "Also write the per-layer summary as JSON to this file." };
        var labels = new Option<string?>("--labels") { Description = "Class labels to store in the model: a UTF-8 text file, one per line." };
        var command = new Command("quantize", "Quantise a float .tflite model to int8 with calibration pictures and pack it.")
        {
            model, calibration, output, method, samples, report, labels,
        };
        command.SetAction(parse => Execute(
            parse.GetValue(model)!, parse.GetValue(calibration)!, OutputFile.Resolve(parse.GetValue(output), parse.GetValue(model)!, Environment.CurrentDirectory), parse.GetValue(method)!,
            parse.GetValue(samples), parse.GetValue(report), parse.GetValue(labels), stdout));
        return command;
    }

    /// <summary>Reads and parses a float .tflite model and builds the float engine, with one-line CLI errors.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The parsed model and its float engine.</returns>
    public static (TfliteModel Model, FloatModel Engine) LoadFloatModel(string path)
    {
        var bytes = ModelLoader.ReadFile(path, "model");
        if (!ModelLoader.IsTflite(bytes))
        {
            throw new CliException($"'{path}' is not a TFLite model (no \"TFL3\" identifier)");
        }

        TfliteModel parsed;
        try
        {
            parsed = TfliteModel.Parse(bytes);
        }
        catch (TfliteFormatException ex)
        {
            throw new CliException($"'{path}' is not a valid TFLite model: {ex.Message}");
        }

        if (parsed.Inputs.Count == 1 && parsed.Tensors[parsed.Inputs[0]].Type != TensorType.Float32)
        {
            throw new CliException($"'{path}' is not a float model: its input tensor is {parsed.Tensors[parsed.Inputs[0]].Type}");
        }

        try
        {
            return (parsed, FloatModel.Create(parsed));
        }
        catch (UnsupportedModelException ex)
        {
            throw new CliException($"cannot run '{path}' in float: {ex.Message}");
        }
    }

    private static string F(double v, string format) =>
        double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : (double.IsPositiveInfinity(v) ? "inf" : "-");

    private static int Execute(string modelPath, string calibrationDir, string outputPath, string methodName, int? samples,
        string? reportPath, string? labelsPath, TextWriter stdout)
    {
        var method = methodName switch
        {
            "percentile" => CalibrationMethod.Percentile,
            "mse" => CalibrationMethod.Mse,
            _ => CalibrationMethod.MinMax,
        };
        if (samples is < 1)
        {
            throw new CliException($"--samples must be at least 1, not {samples}");
        }

        OutputFile.CheckWritable(outputPath, "-o", modelPath, labelsPath, reportPath);
        if (reportPath is not null)
        {
            OutputFile.CheckWritable(reportPath, "--report", modelPath, labelsPath, outputPath);
        }

        var (model, engine) = LoadFloatModel(modelPath);
        var shape = engine.InputShape;
        if (shape.Count != 4 || shape[0] != 1 || shape[3] is not (1 or 3))
        {
            throw new CliException($"'{modelPath}': input [{string.Join(",", shape)}] is not a [1,H,W,1|3] picture");
        }

        var labels = labelsPath is null ? null : PackCommand.ReadLabels(labelsPath);
        try
        {
            // before calibrating, which may take minutes
            Packer.CheckLabelCount(labels?.Count ?? 0, engine.OutputSize);
        }
        catch (ArgumentException ex)
        {
            throw ModelLoader.LabelsError(ex);
        }

        IReadOnlyList<string> files;
        try
        {
            files = Dataset.ListImages(calibrationDir);
        }
        catch (DatasetException ex)
        {
            throw new CliException("calibration: " + ex.Message);
        }

        if (samples is { } n)
        {
            files = Dataset.SpreadSample(files, n);
        }

        QuantizationResult result;
        try
        {
            result = CliProgress.Run(stdout, progress =>
            {
                var pixels = Evaluator.LoadPixels(files, shape[1], shape[2], shape[3],
                    progress is null ? null : (d, t) => progress("loading pictures", d, t));
                var codes = pixels.Select(p => FloatInput.Codes(p)).ToList();
                return Quantizer.Quantize(model, codes, new QuantizeOptions { Method = method, Labels = labels, Progress = progress });
            });
        }
        catch (UnsupportedModelException ex)
        {
            throw new CliException($"cannot quantise '{modelPath}': {ex.Message}");
        }
        catch (ArgumentException ex) when (ex.ParamName == "labels")
        {
            throw ModelLoader.LabelsError(ex);
        }

        // the report first: if it cannot be written, no model is left behind either
        if (reportPath is not null)
        {
            OutputFile.Write(reportPath, "--report", System.Text.Encoding.UTF8.GetBytes(result.ToJson()));
        }

        OutputFile.Write(outputPath, "-o", result.Packed);

        var table = new Table().Border(TableBorder.Ascii);
        table.AddColumn("#");
        table.AddColumn("op");
        table.AddColumn(new TableColumn("tensor").RightAligned());
        table.AddColumn(new TableColumn("float min").RightAligned());
        table.AddColumn(new TableColumn("float max").RightAligned());
        table.AddColumn(new TableColumn("scale").RightAligned());
        table.AddColumn(new TableColumn("zp").RightAligned());
        table.AddColumn("from");
        table.AddColumn(new TableColumn("rmse").RightAligned());
        table.AddColumn(new TableColumn("max err").RightAligned());
        table.AddColumn(new TableColumn("sqnr dB").RightAligned());
        foreach (var l in result.Layers)
        {
            table.AddRow(
                l.OpIndex.ToString(CultureInfo.InvariantCulture),
                l.Op,
                l.Tensor.ToString(CultureInfo.InvariantCulture),
                F(l.ObservedMin, "0.####"),
                F(l.ObservedMax, "0.####"),
                F(l.Scale, "0.000000000"),
                l.ZeroPoint.ToString(CultureInfo.InvariantCulture),
                l.Origin,
                F(l.Rmse, "0.00000"),
                F(l.MaxAbsError, "0.0000"),
                F(l.SqnrDb, "0.0"));
        }

        InspectCommand.CreateConsole(stdout).Write(table);
        var file = NnbFile.Parse(result.Packed);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calibration: {result.Samples} pictures from '{calibrationDir}', method {methodName}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"top-1 agreement with the float model on the calibration pictures: {result.Top1Agreement}/{result.Samples}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quantized '{modelPath}' -> '{outputPath}': {result.Packed.Length} bytes, {file.Ops.Count} ops, {file.Tensors.Count} tensors, {file.Labels.Count} labels"));
        return 0;
    }
}
