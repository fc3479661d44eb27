using Nanonet.Core;
using Nanonet.Imaging;

namespace Nanonet.Serial;

/// <summary>
/// A camera that plays the pictures of a folder (sorted by name, over and over) as frames of a camera format, the
/// way the board's OV2640 would deliver them: each picture is decoded and resized by the host pipeline's exact area
/// averaging to the frame size (<see cref="ImagePreprocessor.LoadPixels"/>), then packed as 8-bit gray, RGB565
/// (big-endian, as esp32-camera delivers it) or RGB888. The firmware core then preprocesses the frame as on the
/// board. A picture that does not decode is a camera error for that frame.
/// </summary>
public sealed class FolderCamera : ICamera
{
    private readonly string[] _pictures;
    private int _next;
    private string _lastError = "";

    /// <summary>Creates the camera.</summary>
    /// <param name="folder">The folder of pictures.</param>
    /// <param name="format">A <see cref="PixelFormat"/> (Gray8, Rgb565BigEndian or Rgb888).</param>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <exception cref="ArgumentException">The folder holds no picture, or the format or size is not a camera's.</exception>
    public FolderCamera(string folder, int format, int width, int height)
    {
        if (!Directory.Exists(folder))
        {
            throw new ArgumentException($"camera folder '{folder}' does not exist");
        }
        _pictures = Directory.GetFiles(folder).Where(ImagePreprocessor.IsSupportedImage)
            .Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();
        if (_pictures.Length == 0)
        {
            throw new ArgumentException($"camera folder '{folder}' holds no picture ({string.Join(" ", ImagePreprocessor.SupportedExtensions)})");
        }
        if (format is not (PixelFormat.Gray8 or PixelFormat.Rgb565BigEndian or PixelFormat.Rgb888))
        {
            throw new ArgumentException($"camera format {format} is not gray8, rgb565 or rgb888");
        }
        if (width < 1 || height < 1 || width > 1600 || height > 1200)
        {
            throw new ArgumentException($"camera frame size {width}x{height} is not a camera's (1x1 to 1600x1200)");
        }
        Format = format;
        Width = width;
        Height = height;
    }

    /// <summary>The pictures played, in order.</summary>
    public IReadOnlyList<string> Pictures => _pictures;

    /// <summary>The picture the last <see cref="Capture"/> delivered.</summary>
    public string? LastPicture { get; private set; }

    /// <inheritdoc />
    public int Format { get; }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int Capture(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var path = _pictures[_next];
        _next = (_next + 1) % _pictures.Length;
        LastPicture = path;
        try
        {
            var frame = ToFrame(path, Format, Width, Height);
            if (frame.Length != buffer.Length)
            {
                _lastError = $"frame buffer holds {buffer.Length} bytes, a {Width}x{Height} {PixelFormat.Name(Format)} frame {frame.Length}";
                return 2;
            }
            frame.CopyTo(buffer, 0);
            return 0;
        }
        catch (ImageDecodeException ex)
        {
            _lastError = ex.Message;
            return 1;
        }
    }

    /// <inheritdoc />
    public string StatusMessage(int status) => status == 0 ? "ok" : _lastError;

    /// <summary>A picture as one camera frame.</summary>
    /// <param name="path">The picture.</param>
    /// <param name="format">Gray8, Rgb565BigEndian or Rgb888.</param>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <returns>The frame bytes.</returns>
    public static byte[] ToFrame(string path, int format, int width, int height)
    {
        if (format == PixelFormat.Gray8)
        {
            return ImagePreprocessor.LoadPixels(path, height, width, 1);
        }
        var rgb = ImagePreprocessor.LoadPixels(path, height, width, 3);
        if (format == PixelFormat.Rgb888)
        {
            return rgb;
        }
        var frame = new byte[width * height * 2];
        for (int i = 0; i < width * height; i++)
        {
            int v = ((rgb[3 * i] >> 3) << 11) | ((rgb[3 * i + 1] >> 2) << 5) | (rgb[3 * i + 2] >> 3);
            frame[2 * i] = (byte)(v >> 8); // big-endian: high byte first
            frame[2 * i + 1] = (byte)v;
        }
        return frame;
    }
}
