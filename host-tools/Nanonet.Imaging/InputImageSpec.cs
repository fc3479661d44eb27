namespace Nanonet.Imaging;

/// <summary>What a model's input tensor wants from a picture.</summary>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Width">Input width in pixels.</param>
/// <param name="Channels">1 (GRAY8) or 3 (RGB888, interleaved R, G, B).</param>
/// <param name="PixelTables">Pixel-to-int8 lookup tables of 256 entries: one for every channel, or one per channel.</param>
public sealed record InputImageSpec(int Height, int Width, int Channels, IReadOnlyList<sbyte[]> PixelTables)
{
    /// <summary>The identity-minus-128 table (q = pixel - 128), the usual mapping of int8 image models.</summary>
    public static sbyte[] Offset128Table { get; } = Enumerable.Range(0, 256).Select(p => (sbyte)(p - 128)).ToArray();

    /// <summary>Number of int8 values of the input tensor (Height * Width * Channels).</summary>
    public int ElementCount => Height * Width * Channels;
}
