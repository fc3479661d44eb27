namespace Nanonet.Imaging;

/// <summary>
/// Exact area-average resampling ("box" or "area" resize, OpenCV's INTER_AREA idea) in integer arithmetic.
/// <para>
/// Each pixel is a square of constant colour. The destination grid is laid over the source picture so that both
/// cover the same rectangle; a destination pixel's value is the mean of the source picture over its square,
/// each source pixel weighted by the area it shares with that square, rounded half up to an 8-bit value once at the
/// end. Shrinking averages every source pixel (no aliasing); enlarging repeats each source pixel and blends only
/// where a destination square straddles two of them. A picture resized to its own size comes back unchanged.
/// </para>
/// <para>
/// Integer form, one axis: with the source coordinates scaled by the destination size <c>d</c> and the destination
/// coordinates by the source size <c>s</c>, source pixel <c>k</c> spans <c>[k d, (k + 1) d)</c> and destination pixel
/// <c>i</c> spans <c>[i s, (i + 1) s)</c>; the overlaps are whole numbers that sum to <c>s</c> for every
/// <c>i</c>. The value is <c>(sum of wx * wy * p + S / 2) / S</c> with <c>S = sW * sH</c>; the sum is at most
/// <c>255 * S</c> and is kept in 64 bits, so any picture size the decoders accept is exact. No floating point is
/// involved, so every platform (and the firmware, later) computes the same bytes.
/// </para>
/// </summary>
public static class AreaResampler
{
    /// <summary>Resamples interleaved 8-bit pixels to a new size.</summary>
    /// <param name="source">srcWidth * srcHeight * channels bytes, rows top-down, channels interleaved.</param>
    /// <param name="srcWidth">Source width (at least 1).</param>
    /// <param name="srcHeight">Source height (at least 1).</param>
    /// <param name="channels">Values per pixel (at least 1).</param>
    /// <param name="dstWidth">Destination width (at least 1).</param>
    /// <param name="dstHeight">Destination height (at least 1).</param>
    /// <returns>dstWidth * dstHeight * channels bytes.</returns>
    public static byte[] Resize(byte[] source, int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1 || channels < 1)
        {
            throw new ArgumentException(
                $"invalid resize {srcWidth}x{srcHeight} -> {dstWidth}x{dstHeight} with {channels} channel(s)");
        }
        if ((long)srcWidth * srcHeight * channels != source.Length)
        {
            throw new ArgumentException(
                $"{source.Length} bytes is not a {srcWidth}x{srcHeight} picture with {channels} channel(s)", nameof(source));
        }

        // The firmware's resize (firmware/Nanonet.Core/AreaResizer.cs, built for .NET as Nanonet.Core.Host) is the one
        // implementation: the board and the PC turn the same pixels into the same bytes by construction.
        var result = new byte[dstWidth * dstHeight * channels];
        new Nanonet.Core.AreaResizer(srcWidth, srcHeight, channels, dstWidth, dstHeight).Resize(source, result);
        return result;
    }
}
