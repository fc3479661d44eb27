namespace Nanonet.Imaging.Tests;

/// <summary>
/// The area resampler against hand computations and against a naive reference written here: for every destination
/// pixel, loop over every source pixel and weigh it by the exact area the two squares share (2-D, not separable,
/// no weight tables), in 64-bit integers with coordinates scaled by both sizes.
/// </summary>
public sealed class AreaResamplerTests
{
    private static byte[] NaiveAreaResize(byte[] src, int sw, int sh, int ch, int dw, int dh)
    {
        // Common unit: 1 / (sw * dw) of a source pixel horizontally, 1 / (sh * dh) vertically. A source pixel is
        // dw x dh units wide and tall; a destination pixel sw x sh.
        var dst = new byte[dw * dh * ch];
        for (int y = 0; y < dh; y++)
        {
            for (int x = 0; x < dw; x++)
            {
                for (int c = 0; c < ch; c++)
                {
                    long sum = 0;
                    long area = 0;
                    // Only source pixels near the square can touch it (one spare on each side); the area check
                    // below proves none was missed.
                    int sy0 = Math.Max(0, (int)((long)y * sh / dh) - 1), sy1 = Math.Min(sh, (int)((long)(y + 1) * sh / dh) + 2);
                    int sx0 = Math.Max(0, (int)((long)x * sw / dw) - 1), sx1 = Math.Min(sw, (int)((long)(x + 1) * sw / dw) + 2);
                    for (int sy = sy0; sy < sy1; sy++)
                    {
                        long oy = Math.Max(0, Math.Min((long)(y + 1) * sh, (long)(sy + 1) * dh) - Math.Max((long)y * sh, (long)sy * dh));
                        for (int sx = sx0; sx < sx1; sx++)
                        {
                            long ox = Math.Max(0, Math.Min((long)(x + 1) * sw, (long)(sx + 1) * dw) - Math.Max((long)x * sw, (long)sx * dw));
                            sum += ox * oy * src[(((sy * sw) + sx) * ch) + c];
                            area += ox * oy;
                        }
                    }

                    Assert.Equal((long)sw * sh, area);
                    // round half up: floor(sum / area + 1/2)
                    dst[(((y * dw) + x) * ch) + c] = (byte)(((2 * sum) + area) / (2 * area));
                }
            }
        }

        return dst;
    }

    [Theory]
    [InlineData(new byte[] { 10, 20, 30, 41 }, 4, 2, new byte[] { 15, 36 })] // 35.5 rounds up
    [InlineData(new byte[] { 0, 90, 255 }, 3, 2, new byte[] { 30, 200 })]     // (0 + 90/2) / 1.5, (90/2 + 255) / 1.5
    [InlineData(new byte[] { 0, 90 }, 2, 3, new byte[] { 0, 45, 90 })]        // the middle pixel straddles both
    [InlineData(new byte[] { 7, 200 }, 2, 4, new byte[] { 7, 7, 200, 200 })]  // 2x enlargement repeats pixels
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, 7, 1, new byte[] { 4 })]   // the mean
    [InlineData(new byte[] { 0, 0, 1 }, 3, 1, new byte[] { 0 })]              // 1/3 rounds down
    [InlineData(new byte[] { 0, 1 }, 2, 1, new byte[] { 1 })]                 // 1/2 rounds up
    public void OneRowMatchesAHandComputation(byte[] source, int srcWidth, int dstWidth, byte[] expected)
    {
        Assert.Equal(expected, AreaResampler.Resize(source, srcWidth, 1, 1, dstWidth, 1));
        // the same along the other axis
        Assert.Equal(expected, AreaResampler.Resize(source, 1, srcWidth, 1, 1, dstWidth));
    }

    [Fact]
    public void TwoByTwoBlocksAverageInBothDirections()
    {
        byte[] src =
        [
            0, 4, 100, 100,
            8, 12, 100, 101,
            255, 255, 0, 0,
            255, 254, 0, 1,
        ];
        Assert.Equal(new byte[] { 6, 100, 255, 0 }, AreaResampler.Resize(src, 4, 4, 1, 2, 2));
    }

    [Fact]
    public void SameSizeIsTheIdentity()
    {
        var rnd = new Random(5);
        var src = new byte[13 * 7 * 3];
        rnd.NextBytes(src);
        Assert.Equal(src, AreaResampler.Resize(src, 13, 7, 3, 13, 7));
    }

    [Fact]
    public void MatchesTheNaiveReferenceOnRandomPictures()
    {
        var rnd = new Random(2026);
        for (int i = 0; i < 300; i++)
        {
            int sw = rnd.Next(1, 40), sh = rnd.Next(1, 40), dw = rnd.Next(1, 40), dh = rnd.Next(1, 40);
            int ch = rnd.Next(0, 2) == 0 ? 1 : 3;
            var src = new byte[sw * sh * ch];
            rnd.NextBytes(src);
            if (i % 3 == 0)
            {
                // values near the ends of the range, where rounding and clamping would show
                for (int k = 0; k < src.Length; k++)
                {
                    src[k] = (byte)(src[k] < 128 ? src[k] % 3 : 255 - (src[k] % 3));
                }
            }

            var expected = NaiveAreaResize(src, sw, sh, ch, dw, dh);
            var actual = AreaResampler.Resize(src, sw, sh, ch, dw, dh);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{sw}x{sh}x{ch} -> {dw}x{dh}");
        }
    }

    [Fact]
    public void MatchesTheNaiveReferenceOnAPhotoSizedShrink()
    {
        // 640x480 -> 96x96, the coco64 case: non-integer factors on both axes
        var rnd = new Random(96);
        var src = new byte[640 * 480 * 3];
        rnd.NextBytes(src);
        Assert.Equal(NaiveAreaResize(src, 640, 480, 3, 96, 96), AreaResampler.Resize(src, 640, 480, 3, 96, 96));
    }

    [Fact]
    public void KeepsAUniformColourExactly()
    {
        var src = new byte[333 * 517];
        Array.Fill(src, (byte)201);
        Assert.All(AreaResampler.Resize(src, 333, 517, 1, 96, 96), v => Assert.Equal(201, v));
        Assert.All(AreaResampler.Resize(src, 333, 517, 1, 700, 1000), v => Assert.Equal(201, v));
    }

    [Theory]
    [InlineData(0, 1, 1, 1, 1)]
    [InlineData(1, 0, 1, 1, 1)]
    [InlineData(1, 1, 0, 1, 1)]
    [InlineData(1, 1, 1, 0, 1)]
    [InlineData(1, 1, 1, 1, 0)]
    public void RejectsEmptySizes(int sw, int sh, int ch, int dw, int dh)
    {
        Assert.Throws<ArgumentException>(() => AreaResampler.Resize(new byte[Math.Max(0, sw * sh * ch)], sw, sh, ch, dw, dh));
    }

    [Fact]
    public void RejectsABufferOfTheWrongLength()
    {
        var ex = Assert.Throws<ArgumentException>(() => AreaResampler.Resize(new byte[11], 2, 2, 3, 1, 1));
        Assert.Contains("11 bytes", ex.Message);
    }
}
