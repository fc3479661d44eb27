using System.CommandLine;
using System.Globalization;
using System.Text;
using Nanonet.Packing;

namespace Nanonet.Cli;

/// <summary><c>nanonet pack MODEL.tflite [-o OUT.nnb] [--labels FILE] [--exact-multipliers]</c>; see <see cref="OutputFile"/> for the default output.</summary>
public static class PackCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the summary line goes.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "The int8 .tflite model to pack." };
        var output = new Option<string?>("--output", "-o") { Description = "The packed model (.nnb) to write (default: the model's name with .nnb, in the current directory)." };
        var labels = new Option<string?>("--labels") { Description = "Class labels: a UTF-8 text file, one label per line." };
        var exact = new Option<bool>("--exact-multipliers") { Description = "Store every requantisation multiplier with TFLM's full 31 bits." };
        var command = new Command("pack", "Pack a .tflite model into the engine's .nnb format.") { model, output, labels, exact };
        command.SetAction(parse => Execute(
            parse.GetValue(model)!, OutputFile.Resolve(parse.GetValue(output), parse.GetValue(model)!, Environment.CurrentDirectory), parse.GetValue(labels), parse.GetValue(exact), stdout));
        return command;
    }

    /// <summary>Reads a label file: one label per line (UTF-8, CR LF or LF), trailing blank lines ignored.</summary>
    /// <param name="path">The label file.</param>
    /// <returns>The labels.</returns>
    public static IReadOnlyList<string> ReadLabels(string path)
    {
        var bytes = ModelLoader.ReadFile(path, "labels");
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CliException($"labels file '{path}' is not valid UTF-8");
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static int Execute(string modelPath, string outputPath, string? labelsPath, bool exact, TextWriter stdout)
    {
        OutputFile.CheckWritable(outputPath, "-o", modelPath, labelsPath);
        var tflite = ModelLoader.ReadFile(modelPath, "model");
        if (!ModelLoader.IsTflite(tflite))
        {
            throw new CliException($"'{modelPath}' is not a TFLite model (no \"TFL3\" identifier)");
        }

        var options = new PackOptions
        {
            Labels = labelsPath is null ? null : ReadLabels(labelsPath),
            ExactMultipliers = exact,
        };
        var blob = ModelLoader.Pack(modelPath, tflite, options);
        OutputFile.Write(outputPath, "-o", blob);

        var file = NnbFile.Parse(blob);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"packed '{modelPath}' -> '{outputPath}': {blob.Length} bytes, {file.Ops.Count} ops, {file.Tensors.Count} tensors, {file.Labels.Count} labels"));
        return 0;
    }
}
