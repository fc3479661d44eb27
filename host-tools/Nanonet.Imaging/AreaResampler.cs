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

        var columns = AxisWeights.Build(srcWidth, dstWidth);
        var rows = AxisWeights.Build(srcHeight, dstHeight);

        // Horizontal pass: each source row becomes dstWidth sums of at most 255 * srcWidth (fits an int).
        int rowValues = dstWidth * channels;
        var horizontal = new int[srcHeight * rowValues];
        for (int y = 0; y < srcHeight; y++)
        {
            int srcRow = y * srcWidth * channels;
            int dstRow = y * rowValues;
            for (int x = 0; x < dstWidth; x++)
            {
                int first = columns.First[x];
                int count = columns.Count[x];
                int w0 = columns.Offset[x];
                for (int c = 0; c < channels; c++)
                {
                    int sum = 0;
                    for (int k = 0; k < count; k++)
                    {
                        sum += columns.Weight[w0 + k] * source[srcRow + ((first + k) * channels) + c];
                    }
                    horizontal[dstRow + (x * channels) + c] = sum;
                }
            }
        }

        // Vertical pass, then the one rounding: (sum + S/2) / S, S = srcWidth * srcHeight.
        long area = (long)srcWidth * srcHeight;
        long half = area / 2;
        var result = new byte[dstHeight * rowValues];
        var acc = new long[rowValues];
        for (int y = 0; y < dstHeight; y++)
        {
            Array.Clear(acc);
            int first = rows.First[y];
            int count = rows.Count[y];
            int w0 = rows.Offset[y];
            for (int k = 0; k < count; k++)
            {
                long w = rows.Weight[w0 + k];
                int srcRow = (first + k) * rowValues;
                for (int v = 0; v < rowValues; v++)
                {
                    acc[v] += w * horizontal[srcRow + v];
                }
            }
            int dstRow = y * rowValues;
            for (int v = 0; v < rowValues; v++)
            {
                result[dstRow + v] = (byte)((acc[v] + half) / area);
            }
        }
        return result;
    }

    /// <summary>For each destination index along one axis: the source indices it overlaps and the overlaps.</summary>
    private sealed class AxisWeights
    {
        public required int[] First { get; init; }

        public required int[] Count { get; init; }

        public required int[] Offset { get; init; }

        public required int[] Weight { get; init; }

        public static AxisWeights Build(int src, int dst)
        {
            var first = new int[dst];
            var count = new int[dst];
            var offset = new int[dst];
            var weights = new List<int>(src + dst);
            for (int i = 0; i < dst; i++)
            {
                // destination pixel i spans [i * src, (i + 1) * src); source pixel k spans [k * dst, (k + 1) * dst)
                long lo = (long)i * src;
                long hi = lo + src;
                int k0 = (int)(lo / dst);
                int k1 = (int)((hi - 1) / dst);
                first[i] = k0;
                count[i] = k1 - k0 + 1;
                offset[i] = weights.Count;
                for (int k = k0; k <= k1; k++)
                {
                    long overlap = Math.Min(hi, (long)(k + 1) * dst) - Math.Max(lo, (long)k * dst);
                    weights.Add((int)overlap);
                }
            }
            return new AxisWeights { First = first, Count = count, Offset = offset, Weight = [.. weights] };
        }
    }
}
