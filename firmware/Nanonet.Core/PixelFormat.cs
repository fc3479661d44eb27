namespace Nanonet.Core
{
    /// <summary>
    /// Camera frame formats (the byte values the serial protocol carries in CLASSIFY_FRAME). Rows top-down, no
    /// padding between rows.
    /// </summary>
    public static class PixelFormat
    {
        /// <summary>8-bit gray, one byte per pixel.</summary>
        public const int Gray8 = 1;

        /// <summary>
        /// RGB565 big-endian (high byte first), two bytes per pixel: what esp32-camera's PIXFORMAT_RGB565 delivers.
        /// Bits 15..11 red, 10..5 green, 4..0 blue.
        /// </summary>
        public const int Rgb565BigEndian = 2;

        /// <summary>8-bit R, G, B interleaved, three bytes per pixel.</summary>
        public const int Rgb888 = 3;

        /// <summary>RGB565 little-endian (low byte first), two bytes per pixel.</summary>
        public const int Rgb565LittleEndian = 4;

        /// <summary>True for a format this core knows.</summary>
        /// <param name="format">The format code.</param>
        /// <returns>Whether it is known.</returns>
        public static bool IsKnown(int format)
        {
            return format >= Gray8 && format <= Rgb565LittleEndian;
        }

        /// <summary>Bytes per pixel of a known format (0 for an unknown one).</summary>
        /// <param name="format">The format code.</param>
        /// <returns>Bytes per pixel.</returns>
        public static int BytesPerPixel(int format)
        {
            switch (format)
            {
                case Gray8:
                    return 1;
                case Rgb565BigEndian:
                case Rgb565LittleEndian:
                    return 2;
                case Rgb888:
                    return 3;
                default:
                    return 0;
            }
        }

        /// <summary>A short name: gray8, rgb565be, rgb888, rgb565le or "format N".</summary>
        /// <param name="format">The format code.</param>
        /// <returns>The name.</returns>
        public static string Name(int format)
        {
            switch (format)
            {
                case Gray8:
                    return "gray8";
                case Rgb565BigEndian:
                    return "rgb565be";
                case Rgb888:
                    return "rgb888";
                case Rgb565LittleEndian:
                    return "rgb565le";
                default:
                    return "format " + format.ToString();
            }
        }
    }
}
