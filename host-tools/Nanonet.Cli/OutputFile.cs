namespace Nanonet.Cli;

/// <summary>
/// Where <c>pack</c> and <c>quantize</c> write their .nnb when <c>-o</c> is not given: the model's file name with the
/// extension <c>.nnb</c>, in the current directory (<c>../models/net_float.tflite</c> gives <c>./net_float.nnb</c>).
/// That default replaces an earlier .nnb of the same name, but never a file of another kind, nor the input itself.
/// </summary>
public static class OutputFile
{
    /// <summary>The output path of a command: the one given with <c>-o</c>, or the default in <paramref name="directory"/>.</summary>
    /// <param name="explicitPath">The <c>-o</c> value, or null.</param>
    /// <param name="modelPath">The input model.</param>
    /// <param name="directory">The directory for the default (the current directory on the command line).</param>
    /// <returns>The path to write.</returns>
    /// <exception cref="CliException">The default would overwrite the input or a file that is not a .nnb model.</exception>
    public static string Resolve(string? explicitPath, string modelPath, string directory)
    {
        if (explicitPath is not null)
        {
            return explicitPath;
        }

        string path = Path.Combine(directory, Path.GetFileNameWithoutExtension(modelPath) + ".nnb");
        if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(modelPath), StringComparison.Ordinal))
        {
            throw new CliException($"the default output '{path}' is the input model itself: name the output with -o");
        }

        if (File.Exists(path) && !IsPackedModel(path))
        {
            throw new CliException($"'{path}' exists and is not a .nnb model: name the output with -o");
        }

        return path;
    }

    private static bool IsPackedModel(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("NNET"u8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
