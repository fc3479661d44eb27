namespace Nanonet.Imaging;

/// <summary>
/// Reads an input file whole (a model, a picture, a labels file, an input tensor) with a size limit, so that an
/// endless source such as <c>/dev/zero</c> or a runaway file is refused with a message instead of exhausting memory.
/// </summary>
public static class InputFile
{
    /// <summary>Limit for models and pictures: 256 MiB (the largest float MobileNets are under 20 MB).</summary>
    public const long DefaultMaxBytes = 256L << 20;

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes of a file. Messages do not repeat the path: callers name the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest accepted size.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (not thrown for a folder).</exception>
    /// <exception cref="IOException">The path is empty or a folder, the file is larger than the limit, or it cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1L);
        if (path.Length == 0)
        {
            throw new IOException("the file name is empty");
        }
        if (Directory.Exists(path))
        {
            throw new IOException("it is a folder, not a file");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        // Length is 0 for devices and pipes: grow as needed, never past the limit
        long declared = stream.CanSeek ? stream.Length : 0;
        if (declared > maxBytes)
        {
            throw new IOException($"it is {declared} bytes; at most {maxBytes} are accepted");
        }
        var buffer = new byte[Math.Max(declared, 4096)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    throw new IOException($"it holds more than {maxBytes} bytes (an endless device or a growing file?)");
                }
                Array.Resize(ref buffer, (int)Math.Min(Math.Max(2L * buffer.Length, 4096), maxBytes + 1));
            }
            int n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0)
            {
                break;
            }
            filled += n;
        }
        if (filled > maxBytes)
        {
            throw new IOException($"it holds more than {maxBytes} bytes (an endless device or a growing file?)");
        }
        if (filled != buffer.Length)
        {
            Array.Resize(ref buffer, filled);
        }
        return buffer;
    }
}
