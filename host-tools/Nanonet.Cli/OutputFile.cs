namespace Nanonet.Cli;

/// <summary>
/// Where <c>pack</c> and <c>quantize</c> write their .nnb when <c>-o</c> is not given: the model's file name with the
/// extension <c>.nnb</c>, in the current directory (<c>../models/net_float.tflite</c> gives <c>./net_float.nnb</c>).
/// That default replaces an earlier .nnb of the same name, but never a file of another kind; no output of a command
/// may be one of its inputs (<see cref="CheckWritable"/>).
/// </summary>
public static class OutputFile
{
    /// <summary>The output path of a command: the one given with <c>-o</c>, or the default in <paramref name="directory"/>.</summary>
    /// <param name="explicitPath">The <c>-o</c> value, or null.</param>
    /// <param name="modelPath">The input model.</param>
    /// <param name="directory">The directory for the default (the current directory on the command line).</param>
    /// <returns>The path to write.</returns>
    /// <exception cref="CliException">The model name is empty, or the default would overwrite a file that is not a .nnb model.</exception>
    public static string Resolve(string? explicitPath, string modelPath, string directory)
    {
        if (explicitPath is not null)
        {
            return explicitPath;
        }

        if (string.IsNullOrEmpty(modelPath))
        {
            throw new CliException("model: the file name is empty");
        }

        // that it is not the input itself is checked with every output, by CheckWritable
        string path = Path.Combine(directory, Path.GetFileNameWithoutExtension(modelPath) + ".nnb");
        if (File.Exists(path) && !IsPackedModel(path))
        {
            throw new CliException($"'{path}' exists and is not a .nnb model: name the output with -o");
        }

        return path;
    }

    /// <summary>
    /// Checks, before any work is done, that an output can be written where asked: a non-empty name, not a folder,
    /// in a folder that exists, and not one of the command's inputs nor another of its outputs.
    /// </summary>
    /// <param name="path">The output path.</param>
    /// <param name="what">What the output is, for messages ("-o", "--report", "--plot").</param>
    /// <param name="others">The command's input files and its other outputs (null entries are ignored).</param>
    /// <exception cref="CliException">The output cannot or must not be written there.</exception>
    public static void CheckWritable(string path, string what, params string?[] others)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(others);
        if (path.Length == 0)
        {
            throw new CliException($"{what}: the file name is empty");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new CliException($"{what} '{path}' is a folder: name a file");
        }

        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliException($"{what} '{path}': folder '{folder}' does not exist");
        }

        foreach (var other in others)
        {
            if (!string.IsNullOrEmpty(other) && string.Equals(full, Path.GetFullPath(other), StringComparison.Ordinal))
            {
                throw new CliException($"{what} '{path}' is also '{other}', another file of this command: name a different file");
            }
        }
    }

    /// <summary>
    /// Writes an output whole, or not at all: into a temporary file beside it, then renamed over the target, so a
    /// failure leaves any earlier file of that name as it was.
    /// </summary>
    /// <param name="path">The output path.</param>
    /// <param name="what">What the output is, for messages.</param>
    /// <param name="content">The bytes.</param>
    /// <exception cref="CliException">Writing failed.</exception>
    public static void Write(string path, string what, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(temp, content);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new CliException($"cannot write {what} '{path}': {ex.Message}");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // nothing more to do: the message already names the failure
        }
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
