using System.Runtime.InteropServices;
using System.Text;
using SkiaSharp;

namespace Nanonet.Imaging.Tests;

/// <summary>Writes test pictures in every supported format.</summary>
internal static class ImageFiles
{
    public static byte[] RandomRgb(int width, int height, int seed)
    {
        var rgb = new byte[width * height * 3];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }

    public static void WritePpm(string path, int width, int height, byte[] rgb, bool ascii = false, int maxval = 255)
    {
        WritePnm(path, ascii ? "P3" : "P6", width, height, rgb, ascii, maxval);
    }

    public static void WritePgm(string path, int width, int height, byte[] gray, bool ascii = false, int maxval = 255)
    {
        WritePnm(path, ascii ? "P2" : "P5", width, height, gray, ascii, maxval);
    }

    private static void WritePnm(string path, string magic, int width, int height, byte[] samples, bool ascii, int maxval)
    {
        using var ms = new MemoryStream();
        var header = $"{magic}\n# written by Nanonet.Imaging.Tests\n{width} {height}\n{maxval}\n";
        ms.Write(Encoding.ASCII.GetBytes(header));
        if (ascii)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < samples.Length; i++)
            {
                sb.Append(samples[i]).Append(i % 12 == 11 ? '\n' : ' ');
            }

            ms.Write(Encoding.ASCII.GetBytes(sb.ToString()));
        }
        else
        {
            ms.Write(samples);
        }

        File.WriteAllBytes(path, ms.ToArray());
    }

    /// <summary>Encodes RGB pixels with SkiaSharp (PNG or JPEG).</summary>
    public static void WriteSkia(string path, int width, int height, byte[] rgb, SKEncodedImageFormat format, int quality = 100)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[width * height * 4];
        for (int p = 0; p < width * height; p++)
        {
            rgba[4 * p] = rgb[3 * p];
            rgba[(4 * p) + 1] = rgb[(3 * p) + 1];
            rgba[(4 * p) + 2] = rgb[(3 * p) + 2];
            rgba[(4 * p) + 3] = 255;
        }

        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(format, quality);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>Writes an uncompressed 24-bit bottom-up BMP.</summary>
    public static void WriteBmp24(string path, int width, int height, byte[] rgb)
    {
        int rowBytes = ((width * 3) + 3) & ~3;
        int imageSize = rowBytes * height;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write((byte)'B');
        w.Write((byte)'M');
        w.Write(54 + imageSize);
        w.Write(0);
        w.Write(54);
        w.Write(40);
        w.Write(width);
        w.Write(height);
        w.Write((short)1);
        w.Write((short)24);
        w.Write(0);
        w.Write(imageSize);
        w.Write(2835);
        w.Write(2835);
        w.Write(0);
        w.Write(0);
        for (int y = height - 1; y >= 0; y--)
        {
            for (int x = 0; x < width; x++)
            {
                int p = (y * width) + x;
                w.Write(rgb[(3 * p) + 2]);
                w.Write(rgb[(3 * p) + 1]);
                w.Write(rgb[3 * p]);
            }

            for (int pad = width * 3; pad < rowBytes; pad++)
            {
                w.Write((byte)0);
            }
        }

        w.Flush();
        File.WriteAllBytes(path, ms.ToArray());
    }
}
