using Nanonet.Imaging;
using Nanonet.Native;
using Nanonet.Packing;

namespace Nanonet.Cli;

/// <summary>A packed model ready to run: the .nnb bytes (checked by the engine) and their parsed description.</summary>
/// <param name="Path">Where the model came from.</param>
/// <param name="Blob">The .nnb bytes.</param>
/// <param name="File">The parsed packed model.</param>
public sealed record LoadedModel(string Path, byte[] Blob, NnbFile File);

/// <summary>Reads a model file: a .nnb as is, a .tflite packed in memory.</summary>
public static class ModelLoader
{
    /// <summary>True when the bytes look like a TFLite flatbuffer (identifier "TFL3" at bytes 4..7).</summary>
    /// <param name="bytes">File contents.</param>
    /// <returns>Whether it is a .tflite.</returns>
    public static bool IsTflite(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && bytes[4] == (byte)'T' && bytes[5] == (byte)'F' && bytes[6] == (byte)'L' && bytes[7] == (byte)'3';

    /// <summary>Reads a file, turning I/O failures into one-line CLI errors.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message ("model", "labels" ...).</param>
    /// <returns>The bytes.</returns>
    public static byte[] ReadFile(string path, string what)
    {
        try
        {
            return InputFile.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"{what} file '{path}' not found");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {what} file '{path}': {ex.Message}");
        }
    }

    /// <summary>Whether a .tflite's graph input is float32 (a model to quantise, not to pack).</summary>
    /// <param name="tflite">The .tflite bytes.</param>
    /// <returns>True for a float graph input; false when it is not, or the model does not parse.</returns>
    public static bool IsFloatModel(byte[] tflite)
    {
        try
        {
            var model = Nanonet.Tflite.TfliteModel.Parse(tflite);
            return model.Inputs.Count > 0 && model.Tensors[model.Inputs[0]].Type == Nanonet.Tflite.TensorType.Float32;
        }
        catch (Exception ex) when (ex is Nanonet.Tflite.TfliteFormatException or ArgumentException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Packs TFLite bytes, turning packer failures into one-line CLI errors.</summary>
    /// <param name="path">The .tflite file (for messages).</param>
    /// <param name="tflite">Its bytes.</param>
    /// <param name="options">Packing options.</param>
    /// <returns>The .nnb bytes.</returns>
    public static byte[] Pack(string path, byte[] tflite, PackOptions options)
    {
        try
        {
            return Packer.PackTflite(tflite, options);
        }
        catch (UnsupportedModelException ex)
        {
            throw new CliException($"cannot pack '{path}': {ex.Message}" + (IsFloatModel(tflite)
                ? $"; it is a float model: quantise it to int8 first (nanonet quantize {path} --calibration DIR)"
                : string.Empty));
        }
        catch (Nanonet.Tflite.TfliteFormatException ex)
        {
            throw new CliException($"'{path}' is not a valid TFLite model: {ex.Message}");
        }
        catch (ArgumentException ex) when (ex.ParamName == "labels")
        {
            throw LabelsError(ex);
        }
    }

    /// <summary>The one-line CLI error for labels the packer refused (too long, too many, not one per output).</summary>
    /// <param name="ex">The packer's exception (ParamName "labels").</param>
    /// <returns>The CLI error.</returns>
    public static CliException LabelsError(ArgumentException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new CliException("labels: " + ex.Message.Replace(" (Parameter 'labels')", string.Empty, StringComparison.Ordinal));
    }

    /// <summary>Loads MODEL (.nnb or .tflite), validates it with the engine and parses it.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>The loaded model.</returns>
    public static LoadedModel Load(string path)
    {
        var bytes = ReadFile(path, "model");
        byte[] blob = IsTflite(bytes) ? Pack(path, bytes, new PackOptions()) : bytes;
        var result = NanonetEngine.Validate(blob);
        if (!result.IsOk)
        {
            throw new CliException($"model '{path}' is invalid: {result}");
        }

        NnbFile file;
        try
        {
            file = NnbFile.Parse(blob);
        }
        catch (NnbFormatException ex)
        {
            throw new CliException($"model '{path}' is invalid: {ex.Message}");
        }

        return new LoadedModel(path, blob, file);
    }
}
