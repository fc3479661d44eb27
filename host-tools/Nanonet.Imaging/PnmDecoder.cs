using System.Globalization;

namespace Nanonet.Imaging;

/// <summary>
/// Netpbm reader: PGM (P2 ASCII, P5 binary) and PPM (P3 ASCII, P6 binary) with maxval 1..255.
/// Samples are rescaled to 0..255 when maxval is not 255 (rounded to nearest). SkiaSharp has no PNM codec.
/// </summary>
internal static class PnmDecoder
{
    public static DecodedImage Decode(string path, byte[] data)
    {
        int pos = 0;
        string magic = NextToken(path, data, ref pos);
        bool gray, ascii;
        switch (magic)
        {
            case "P2": gray = true; ascii = true; break;
            case "P5": gray = true; ascii = false; break;
            case "P3": gray = false; ascii = true; break;
            case "P6": gray = false; ascii = false; break;
            default:
                throw new ImageDecodeException(path, "not a PGM/PPM file (magic must be P2, P3, P5 or P6)");
        }

        int width = NextNumber(path, data, ref pos, "width");
        int height = NextNumber(path, data, ref pos, "height");
        int maxval = NextNumber(path, data, ref pos, "maxval");
        if (width < 1 || height < 1 || (long)width * height > 64L * 1024 * 1024)
        {
            throw new ImageDecodeException(path, $"invalid size {width}x{height}");
        }

        if (maxval < 1 || maxval > 255)
        {
            throw new ImageDecodeException(path, $"maxval {maxval} is not supported (1..255)");
        }

        int channels = gray ? 1 : 3;
        int samples = width * height * channels;
        var raw = new byte[samples];
        if (ascii)
        {
            for (int i = 0; i < samples; i++)
            {
                raw[i] = Sample(path, NextNumber(path, data, ref pos, "sample"), maxval);
            }
        }
        else
        {
            // Exactly one whitespace byte separates maxval from the raster.
            if (pos >= data.Length || !IsSpace(data[pos]))
            {
                throw new ImageDecodeException(path, "missing whitespace before the pixel data");
            }

            pos++;
            if (data.Length - pos < samples)
            {
                throw new ImageDecodeException(path, $"truncated: {data.Length - pos} bytes of pixel data, {samples} expected");
            }

            for (int i = 0; i < samples; i++)
            {
                raw[i] = Sample(path, data[pos + i], maxval);
            }
        }

        var rgb = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++)
        {
            if (gray)
            {
                rgb[3 * p] = rgb[(3 * p) + 1] = rgb[(3 * p) + 2] = raw[p];
            }
            else
            {
                rgb[3 * p] = raw[3 * p];
                rgb[(3 * p) + 1] = raw[(3 * p) + 1];
                rgb[(3 * p) + 2] = raw[(3 * p) + 2];
            }
        }

        return new DecodedImage(width, height, rgb);
    }

    private static byte Sample(string path, int value, int maxval)
    {
        if (value > maxval)
        {
            throw new ImageDecodeException(path, $"sample {value} exceeds maxval {maxval}");
        }

        return maxval == 255 ? (byte)value : (byte)(((value * 255) + (maxval / 2)) / maxval);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private static string NextToken(string path, byte[] data, ref int pos)
    {
        while (pos < data.Length)
        {
            if (IsSpace(data[pos]))
            {
                pos++;
            }
            else if (data[pos] == (byte)'#')
            {
                while (pos < data.Length && data[pos] != (byte)'\n' && data[pos] != (byte)'\r')
                {
                    pos++;
                }
            }
            else
            {
                break;
            }
        }

        int start = pos;
        while (pos < data.Length && !IsSpace(data[pos]) && data[pos] != (byte)'#' && pos - start < 16)
        {
            pos++;
        }

        if (pos == start)
        {
            throw new ImageDecodeException(path, "truncated header or pixel data");
        }

        return System.Text.Encoding.ASCII.GetString(data, start, pos - start);
    }

    private static int NextNumber(string path, byte[] data, ref int pos, string what)
    {
        string token = NextToken(path, data, ref pos);
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new ImageDecodeException(path, $"bad {what} '{token}'");
        }

        return value;
    }
}
