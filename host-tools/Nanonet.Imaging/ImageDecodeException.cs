namespace Nanonet.Imaging;

/// <summary>An image file is missing, unsupported or broken. The message names the file and the problem.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="problem">What is wrong with it.</param>
    public ImageDecodeException(string path, string problem)
        : base($"cannot read image '{path}': {problem}")
    {
        FilePath = path;
    }

    /// <summary>The image file.</summary>
    public string FilePath { get; }
}
