namespace Nanonet.TestSupport;

/// <summary>Test pictures with an EXIF orientation tag, the way a phone or camera writes one.</summary>
internal static class ExifJpeg
{
    /// <summary>The JPEG with an APP1 Exif segment holding one IFD0 entry, Orientation (0x0112) = value, right after SOI.</summary>
    /// <param name="jpeg">A JPEG file's bytes.</param>
    /// <param name="value">The EXIF orientation, 1..8.</param>
    /// <returns>The tagged file's bytes (the image data unchanged).</returns>
    public static byte[] WithOrientation(byte[] jpeg, int value)
    {
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("not a JPEG (no SOI)", nameof(jpeg));
        }

        byte[] tiff =
        [
            (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0,             // little-endian TIFF header, IFD0 at offset 8
            1, 0,                                                 // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)value, 0, 0, 0,   // Orientation, SHORT, count 1, the value
            0, 0, 0, 0,                                           // no next IFD
        ];
        byte[] exif = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int length = exif.Length + 2;
        return [0xFF, 0xD8, 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif, .. jpeg[2..]];
    }
}
