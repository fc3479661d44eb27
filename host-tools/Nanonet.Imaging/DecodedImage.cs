namespace Nanonet.Imaging;

/// <summary>A decoded picture as 8-bit R, G, B triples, rows top-down.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Rgb">Width * Height * 3 bytes, interleaved R, G, B. Gray sources have R = G = B.</param>
public sealed record DecodedImage(int Width, int Height, byte[] Rgb);
