using System.Runtime.InteropServices;
using SkiaSharp;

namespace Nanonet.Imaging;

/// <summary>
/// Turns a picture file into the int8 input tensor of a model.
/// <list type="number">
/// <item>Decode: .jpg/.jpeg/.png/.bmp with SkiaSharp (8-bit RGBA, no colour-space conversion, alpha ignored,
/// EXIF orientation not applied); .pgm/.ppm (P2, P3, P5, P6, maxval up to 255) with a small parser of our own.</item>
/// <item>Resize, only when the picture's size differs from the model's H x W: the whole picture is stretched to
/// H x W (no crop, aspect ratio not kept) by exact area averaging in integer arithmetic (<see cref="AreaResampler"/>):
/// each output pixel is the mean of the source pixels under it, weighted by overlap, rounded once. It does not alias
/// when a photo shrinks by a large factor, depends on no library's filter, and the firmware can compute the same
/// bytes. A picture already H x W passes through untouched, byte for byte.</item>
/// <item>Colour: GRAY8 models get integer luma <c>Y = (77 R + 150 G + 29 B + 128) &gt;&gt; 8</c> (BT.601 weights in
/// 8-bit fixed point; the weights sum to 256, so a gray pixel R = G = B = v maps exactly to v). RGB888 models get
/// interleaved R, G, B; a gray source is replicated into the three channels.</item>
/// <item>Map each 8-bit value to int8 through the model's pixel lookup table (one shared table, or one per channel).</item>
/// </list>
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>File extensions (lower case, with dot) the pipeline decodes.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".pgm", ".ppm"];

    /// <summary>True when the file's extension is one the pipeline decodes.</summary>
    /// <param name="path">A file name or path.</param>
    /// <returns>Whether the extension is supported.</returns>
    public static bool IsSupportedImage(string path) =>
        SupportedExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Decodes, resizes, converts and maps a picture to the model's int8 input tensor (NHWC, batch 1).</summary>
    /// <param name="path">The picture file.</param>
    /// <param name="spec">The model's input requirements.</param>
    /// <returns>Height * Width * Channels int8 values.</returns>
    /// <exception cref="ImageDecodeException">The file is missing, unsupported or broken.</exception>
    public static sbyte[] Load(string path, InputImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateSpec(spec);
        var image = Decode(path);
        var resized = Resize(image, spec.Width, spec.Height);
        return ToTensor(resized, spec);
    }

    /// <summary>
    /// Decodes, resizes and colour-converts a picture exactly as <see cref="Load"/> does, but stops before the
    /// pixel tables: the 8-bit values (gray, or interleaved R, G, B) the tables would map. Float models use this
    /// so that they see the very same picture as the int8 path.
    /// </summary>
    /// <param name="path">The picture file.</param>
    /// <param name="height">Target height.</param>
    /// <param name="width">Target width.</param>
    /// <param name="channels">1 (gray, integer luma) or 3 (RGB).</param>
    /// <returns>Height * Width * Channels bytes, rows top-down.</returns>
    /// <exception cref="ImageDecodeException">The file is missing, unsupported or broken.</exception>
    public static byte[] LoadPixels(string path, int height, int width, int channels)
    {
        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"invalid input size {width}x{height}");
        }
        if (channels is not (1 or 3))
        {
            throw new ArgumentException($"a picture can feed 1 or 3 channels, not {channels}", nameof(channels));
        }
        var resized = Resize(Decode(path), width, height);
        int pixels = width * height;
        var rgb = resized.Rgb;
        if (channels == 3)
        {
            return (byte[])rgb.Clone();
        }
        var gray = new byte[pixels];
        for (int p = 0; p < pixels; p++)
        {
            gray[p] = Luma(rgb[3 * p], rgb[(3 * p) + 1], rgb[(3 * p) + 2]);
        }
        return gray;
    }

    /// <summary>Decodes a picture file to 8-bit RGB.</summary>
    /// <param name="path">The picture file.</param>
    /// <returns>The decoded picture.</returns>
    /// <exception cref="ImageDecodeException">The file is missing, unsupported or broken.</exception>
    public static DecodedImage Decode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (!SupportedExtensions.Contains(ext))
        {
            throw new ImageDecodeException(path, $"unsupported file type '{ext}' (supported: {string.Join(" ", SupportedExtensions)})");
        }

        byte[] data;
        try
        {
            data = InputFile.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message);
        }

        if (data.Length == 0)
        {
            throw new ImageDecodeException(path, "the file is empty");
        }

        return ext is ".pgm" or ".ppm" ? PnmDecoder.Decode(path, data) : DecodeWithSkia(path, data);
    }

    /// <summary>Resizes a picture to width x height as described on <see cref="ImagePreprocessor"/>; same size: returned as is.</summary>
    /// <param name="image">The picture.</param>
    /// <param name="width">Target width.</param>
    /// <param name="height">Target height.</param>
    /// <returns>The resized picture.</returns>
    public static DecodedImage Resize(DecodedImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width == width && image.Height == height)
        {
            return image;
        }

        return new DecodedImage(width, height, AreaResampler.Resize(image.Rgb, image.Width, image.Height, 3, width, height));
    }

    /// <summary>Integer luma of an RGB pixel: (77 R + 150 G + 29 B + 128) &gt;&gt; 8.</summary>
    /// <param name="r">Red.</param>
    /// <param name="g">Green.</param>
    /// <param name="b">Blue.</param>
    /// <returns>The 8-bit gray value.</returns>
    public static byte Luma(byte r, byte g, byte b) => (byte)(((77 * r) + (150 * g) + (29 * b) + 128) >> 8);

    /// <summary>Converts a picture of exactly the spec's size to the int8 tensor (colour conversion + lookup tables).</summary>
    /// <param name="image">The picture, already spec.Width x spec.Height.</param>
    /// <param name="spec">The model's input requirements.</param>
    /// <returns>Height * Width * Channels int8 values.</returns>
    public static sbyte[] ToTensor(DecodedImage image, InputImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        ValidateSpec(spec);
        if (image.Width != spec.Width || image.Height != spec.Height)
        {
            throw new ArgumentException($"picture is {image.Width}x{image.Height}, the model wants {spec.Width}x{spec.Height}", nameof(image));
        }

        int pixels = spec.Width * spec.Height;
        var result = new sbyte[pixels * spec.Channels];
        var rgb = image.Rgb;
        if (spec.Channels == 1)
        {
            var lut = spec.PixelTables[0];
            for (int p = 0; p < pixels; p++)
            {
                result[p] = lut[Luma(rgb[3 * p], rgb[(3 * p) + 1], rgb[(3 * p) + 2])];
            }
        }
        else
        {
            var lr = spec.PixelTables[0];
            var lg = spec.PixelTables.Count == 3 ? spec.PixelTables[1] : lr;
            var lb = spec.PixelTables.Count == 3 ? spec.PixelTables[2] : lr;
            for (int p = 0; p < pixels; p++)
            {
                result[3 * p] = lr[rgb[3 * p]];
                result[(3 * p) + 1] = lg[rgb[(3 * p) + 1]];
                result[(3 * p) + 2] = lb[rgb[(3 * p) + 2]];
            }
        }

        return result;
    }

    private static void ValidateSpec(InputImageSpec spec)
    {
        if (spec.Height < 1 || spec.Width < 1)
        {
            throw new ArgumentException($"invalid input size {spec.Width}x{spec.Height}", nameof(spec));
        }

        if (spec.Channels is not (1 or 3))
        {
            throw new ArgumentException($"a picture can feed 1 or 3 channels, not {spec.Channels}", nameof(spec));
        }

        if (spec.PixelTables is null || !(spec.PixelTables.Count == 1 || spec.PixelTables.Count == spec.Channels))
        {
            throw new ArgumentException("need one pixel table, or one per channel", nameof(spec));
        }

        if (spec.PixelTables.Any(t => t is null || t.Length != 256))
        {
            throw new ArgumentException("pixel tables must have 256 entries", nameof(spec));
        }
    }

    private static DecodedImage DecodeWithSkia(string path, byte[] data)
    {
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream, out var createResult);
        if (codec is null)
        {
            string why = createResult is SKCodecResult.Unimplemented or SKCodecResult.InvalidInput
                ? "format not recognised"
                : Describe(createResult);
            throw new ImageDecodeException(path, $"not a valid JPEG, PNG or BMP image ({why})");
        }

        int width = codec.Info.Width, height = codec.Info.Height;
        if (width < 1 || height < 1 || (long)width * height > 64L * 1024 * 1024)
        {
            throw new ImageDecodeException(path, $"invalid size {width}x{height}");
        }

        // No colour space on the target: pixel values are taken as stored, without colour management.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }

        if (result != SKCodecResult.Success)
        {
            throw new ImageDecodeException(path, $"{codec.EncodedFormat} data is broken ({Describe(result)})");
        }

        var rgb = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++)
        {
            rgb[3 * p] = rgba[4 * p];
            rgb[(3 * p) + 1] = rgba[(4 * p) + 1];
            rgb[(3 * p) + 2] = rgba[(4 * p) + 2];
        }

        // a phone photo stored sideways with an EXIF orientation tag is turned upright, as a viewer shows it
        return Orient(new DecodedImage(width, height, rgb), codec.EncodedOrigin);
    }

    /// <summary>
    /// The picture as it is meant to be seen, given its EXIF orientation (how its stored rows and columns map onto
    /// the view): display pixel (x, y) is the stored pixel this method names, for each of the eight orientations.
    /// </summary>
    /// <param name="image">The pixels as stored.</param>
    /// <param name="origin">The orientation (SkiaSharp's name of the EXIF tag's 1..8).</param>
    /// <returns>The upright picture (the same object for TopLeft).</returns>
    public static DecodedImage Orient(DecodedImage image, SKEncodedOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(image);
        int ws = image.Width, hs = image.Height;
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        if (origin is SKEncodedOrigin.TopLeft || !Enum.IsDefined(origin))
        {
            return image;
        }

        int wd = swap ? hs : ws, hd = swap ? ws : hs;
        var rgb = new byte[wd * hd * 3];
        for (int y = 0; y < hd; y++)
        {
            for (int x = 0; x < wd; x++)
            {
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (ws - 1 - x, y),              // 2: mirrored left-right
                    SKEncodedOrigin.BottomRight => (ws - 1 - x, hs - 1 - y),  // 3: upside down
                    SKEncodedOrigin.BottomLeft => (x, hs - 1 - y),            // 4: mirrored top-bottom
                    SKEncodedOrigin.LeftTop => (y, x),                        // 5: transposed
                    SKEncodedOrigin.RightTop => (y, hs - 1 - x),              // 6: to be turned 90 degrees clockwise
                    SKEncodedOrigin.RightBottom => (ws - 1 - y, hs - 1 - x),  // 7: transverse
                    _ => (ws - 1 - y, x),                                     // 8 (LeftBottom): to be turned 90 anticlockwise
                };
                int d = ((y * wd) + x) * 3, s = ((sy * ws) + sx) * 3;
                rgb[d] = image.Rgb[s];
                rgb[d + 1] = image.Rgb[s + 1];
                rgb[d + 2] = image.Rgb[s + 2];
            }
        }

        return new DecodedImage(wd, hd, rgb);
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file is truncated",
        SKCodecResult.ErrorInInput => "corrupt data",
        SKCodecResult.Unimplemented => "an unsupported variant of the format",
        SKCodecResult.InvalidInput => "unrecognised data",
        _ => result.ToString(),
    };
}
