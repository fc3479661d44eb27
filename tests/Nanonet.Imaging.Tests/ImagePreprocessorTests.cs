using SkiaSharp;

namespace Nanonet.Imaging.Tests;

public sealed class ImagePreprocessorTests : IDisposable
{
    private static readonly sbyte[] Offset128 = InputImageSpec.Offset128Table;
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static InputImageSpec Gray(int h, int w) => new(h, w, 1, [Offset128]);

    private static InputImageSpec Rgb(int h, int w) => new(h, w, 3, [Offset128]);

    private static sbyte[] Minus128(byte[] values) => values.Select(v => (sbyte)(v - 128)).ToArray();

    private static byte[] GrayOf(byte[] rgb)
    {
        var g = new byte[rgb.Length / 3];
        for (int p = 0; p < g.Length; p++)
        {
            g[p] = ImagePreprocessor.Luma(rgb[3 * p], rgb[(3 * p) + 1], rgb[(3 * p) + 2]);
        }

        return g;
    }

    [Theory]
    [InlineData(255, 0, 0, 77)]
    [InlineData(0, 255, 0, 149)]
    [InlineData(0, 0, 255, 29)]
    [InlineData(10, 20, 30, 18)]
    [InlineData(255, 255, 255, 255)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(128, 128, 128, 128)]
    public void LumaIsTheDocumentedIntegerFormula(byte r, byte g, byte b, byte expected)
    {
        Assert.Equal(expected, ImagePreprocessor.Luma(r, g, b));
        Assert.Equal((byte)(((77 * r) + (150 * g) + (29 * b) + 128) >> 8), ImagePreprocessor.Luma(r, g, b));
    }

    [Fact]
    public void LumaOfGrayIsIdentity()
    {
        for (int v = 0; v < 256; v++)
        {
            Assert.Equal((byte)v, ImagePreprocessor.Luma((byte)v, (byte)v, (byte)v));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PpmRgb96PassesThroughExactly(bool ascii)
    {
        var rgb = ImageFiles.RandomRgb(96, 96, 1);
        var path = _tmp.File(ascii ? "a.ppm" : "b.ppm");
        ImageFiles.WritePpm(path, 96, 96, rgb, ascii);
        Assert.Equal(Minus128(rgb), ImagePreprocessor.Load(path, Rgb(96, 96)));
        Assert.Equal(Minus128(GrayOf(rgb)), ImagePreprocessor.Load(path, Gray(96, 96)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PgmGray96PassesThroughAndReplicatesToRgb(bool ascii)
    {
        var gray = ImageFiles.RandomRgb(96, 32, 2); // 96*96 bytes
        var path = _tmp.File("g.pgm");
        ImageFiles.WritePgm(path, 96, 96, gray, ascii);
        Assert.Equal(Minus128(gray), ImagePreprocessor.Load(path, Gray(96, 96)));
        var rgb = ImagePreprocessor.Load(path, Rgb(96, 96));
        Assert.Equal(96 * 96 * 3, rgb.Length);
        for (int p = 0; p < gray.Length; p++)
        {
            Assert.Equal((sbyte)(gray[p] - 128), rgb[3 * p]);
            Assert.Equal((sbyte)(gray[p] - 128), rgb[(3 * p) + 1]);
            Assert.Equal((sbyte)(gray[p] - 128), rgb[(3 * p) + 2]);
        }
    }

    [Fact]
    public void PnmWithSmallMaxvalIsRescaled()
    {
        var path = _tmp.File("m.pgm");
        ImageFiles.WritePgm(path, 4, 1, [0, 5, 10, 15], ascii: true, maxval: 15);
        var img = ImagePreprocessor.Decode(path);
        Assert.Equal(new byte[] { 0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255, 255 }, img.Rgb);
    }

    [Fact]
    public void PngRgb96PassesThroughExactly()
    {
        var rgb = ImageFiles.RandomRgb(96, 96, 3);
        var path = _tmp.File("x.png");
        ImageFiles.WriteSkia(path, 96, 96, rgb, SKEncodedImageFormat.Png);
        Assert.Equal(Minus128(rgb), ImagePreprocessor.Load(path, Rgb(96, 96)));
        Assert.Equal(Minus128(GrayOf(rgb)), ImagePreprocessor.Load(path, Gray(96, 96)));
    }

    [Fact]
    public void Bmp24DecodesExactly()
    {
        var rgb = ImageFiles.RandomRgb(13, 7, 4); // odd width: row padding
        var path = _tmp.File("x.bmp");
        ImageFiles.WriteBmp24(path, 13, 7, rgb);
        var img = ImagePreprocessor.Decode(path);
        Assert.Equal(13, img.Width);
        Assert.Equal(7, img.Height);
        Assert.Equal(rgb, img.Rgb);
    }

    [Fact]
    public void JpegDecodesCloseToTheSource()
    {
        var rgb = new byte[32 * 32 * 3];
        for (int p = 0; p < 32 * 32; p++)
        {
            rgb[3 * p] = 200;
            rgb[(3 * p) + 1] = 100;
            rgb[(3 * p) + 2] = 50;
        }

        foreach (var ext in new[] { ".jpg", ".jpeg" })
        {
            var path = _tmp.File("x" + ext);
            ImageFiles.WriteSkia(path, 32, 32, rgb, SKEncodedImageFormat.Jpeg);
            var img = ImagePreprocessor.Decode(path);
            Assert.Equal(32, img.Width);
            for (int i = 0; i < rgb.Length; i++)
            {
                Assert.InRange(img.Rgb[i] - rgb[i], -3, 3);
            }
        }
    }

    [Fact]
    public void TflmBmpWithPaletteDecodesToTheGoldenInput()
    {
        // TFLM's test BMPs store int8 input values as pixel bytes: read back as (sbyte) they are the golden input.
        var path = Path.Combine(TestPaths.Shared, "refmodels", "images", "tflm_person.bmp");
        var identity = Enumerable.Range(0, 256).Select(p => unchecked((sbyte)p)).ToArray();
        var q = ImagePreprocessor.Load(path, new InputImageSpec(96, 96, 1, [identity]));
        var golden = File.ReadAllBytes(TestPaths.GoldenInput("tflm_person.gray96.i8")).Select(b => unchecked((sbyte)b)).ToArray();
        Assert.Equal(golden, q);
    }

    [Theory]
    [InlineData("person.png", "tflm_person.gray96.i8")]
    [InlineData("no_person.png", "tflm_no_person.gray96.i8")]
    public void SamplesReproduceTheGoldenInputs(string sample, string golden)
    {
        var q = ImagePreprocessor.Load(Path.Combine(TestPaths.Samples, sample), Gray(96, 96));
        var expected = File.ReadAllBytes(TestPaths.GoldenInput(golden)).Select(b => unchecked((sbyte)b)).ToArray();
        Assert.Equal(expected, q);
    }

    [Fact]
    public void SharedTableIsAppliedToEveryChannel()
    {
        var rgb = ImageFiles.RandomRgb(8, 8, 5);
        var path = _tmp.File("l.ppm");
        ImageFiles.WritePpm(path, 8, 8, rgb);
        var lut = Enumerable.Range(0, 256).Select(p => (sbyte)(127 - (p / 2))).ToArray();
        var q = ImagePreprocessor.Load(path, new InputImageSpec(8, 8, 3, [lut]));
        Assert.Equal(rgb.Select(v => lut[v]).ToArray(), q);
        var g = ImagePreprocessor.Load(path, new InputImageSpec(8, 8, 1, [lut]));
        Assert.Equal(GrayOf(rgb).Select(v => lut[v]).ToArray(), g);
    }

    [Fact]
    public void PerChannelTablesAreApplied()
    {
        var rgb = ImageFiles.RandomRgb(8, 8, 6);
        var path = _tmp.File("c.ppm");
        ImageFiles.WritePpm(path, 8, 8, rgb);
        var tr = Enumerable.Range(0, 256).Select(p => (sbyte)(p - 128)).ToArray();
        var tg = Enumerable.Range(0, 256).Select(p => (sbyte)(p / 2)).ToArray();
        var tb = Enumerable.Range(0, 256).Select(p => (sbyte)(-(p / 2))).ToArray();
        var q = ImagePreprocessor.Load(path, new InputImageSpec(8, 8, 3, [tr, tg, tb]));
        for (int p = 0; p < 64; p++)
        {
            Assert.Equal(tr[rgb[3 * p]], q[3 * p]);
            Assert.Equal(tg[rgb[(3 * p) + 1]], q[(3 * p) + 1]);
            Assert.Equal(tb[rgb[(3 * p) + 2]], q[(3 * p) + 2]);
        }
    }

    [Fact]
    public void ResizeKeepsAUniformColour()
    {
        var rgb = new byte[300 * 200 * 3];
        for (int p = 0; p < 300 * 200; p++)
        {
            rgb[3 * p] = 30;
            rgb[(3 * p) + 1] = 140;
            rgb[(3 * p) + 2] = 220;
        }

        var path = _tmp.File("u.png");
        ImageFiles.WriteSkia(path, 300, 200, rgb, SKEncodedImageFormat.Png);
        var q = ImagePreprocessor.Load(path, Rgb(96, 96));
        Assert.Equal(96 * 96 * 3, q.Length);
        for (int p = 0; p < 96 * 96; p++)
        {
            Assert.Equal(30, q[3 * p] + 128);
            Assert.Equal(140, q[(3 * p) + 1] + 128);
            Assert.Equal(220, q[(3 * p) + 2] + 128);
        }

        // Enlarging too.
        var up = ImagePreprocessor.Load(path, Rgb(400, 500));
        Assert.All(Enumerable.Range(0, 400 * 500), p => Assert.Equal(30, up[3 * p] + 128));
    }

    [Fact]
    public void DownscalingAveragesInsteadOfAliasing()
    {
        // Stripes: 2 white columns out of every 8. Shrunk 8x, every output pixel covers one period, so the
        // area-averaging resize gives 255 * 2 / 8 = 63.75, rounded to 64, everywhere; point or plain bilinear
        // sampling would hit only black (0) or only white columns.
        var gray = new byte[768 * 768];
        for (int y = 0; y < 768; y++)
        {
            for (int x = 0; x < 768; x++)
            {
                gray[(y * 768) + x] = (x % 8) < 2 ? (byte)255 : (byte)0;
            }
        }

        var path = _tmp.File("stripes.pgm");
        ImageFiles.WritePgm(path, 768, 768, gray);
        var q = ImagePreprocessor.Load(path, Gray(96, 96));
        Assert.All(q, v => Assert.Equal(64, v + 128));
    }

    [Fact]
    public void ZeroByteFileIsRejected()
    {
        var path = _tmp.File("empty.png");
        File.WriteAllBytes(path, []);
        var ex = Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Load(path, Gray(96, 96)));
        Assert.Contains(path, ex.Message);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void TextFileNamedJpgIsRejected()
    {
        var path = _tmp.File("notes.jpg");
        File.WriteAllText(path, "this is not a picture\n");
        var ex = Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Load(path, Gray(96, 96)));
        Assert.Contains(path, ex.Message);
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void TruncatedPngIsRejected()
    {
        var rgb = ImageFiles.RandomRgb(64, 64, 7);
        var path = _tmp.File("t.png");
        ImageFiles.WriteSkia(path, 64, 64, rgb, SKEncodedImageFormat.Png);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Load(path, Rgb(64, 64)));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void TruncatedJpegIsRejected()
    {
        var rgb = ImageFiles.RandomRgb(64, 64, 8);
        var path = _tmp.File("t.jpg");
        ImageFiles.WriteSkia(path, 64, 64, rgb, SKEncodedImageFormat.Jpeg);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var ex = Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Load(path, Rgb(64, 64)));
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData("P7\n2 2\n255\n")]
    [InlineData("P5\n2 2\n")]
    [InlineData("P5\n2 2\n255\nab")]
    [InlineData("P5\n2 2\n65535\nabcdefgh")]
    [InlineData("P2\n2 2\n255\n1 2 3")]
    [InlineData("P2\n2 2\n255\n1 2 3 300")]
    [InlineData("P5\n0 2\n255\n")]
    [InlineData("P6\nx 2\n255\n")]
    public void BrokenPnmIsRejected(string content)
    {
        var path = _tmp.File("broken.pgm");
        File.WriteAllText(path, content);
        var ex = Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Decode(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void MissingFileIsRejected()
    {
        var path = _tmp.File("nope.png");
        var ex = Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Load(path, Gray(96, 96)));
        Assert.Contains(path, ex.Message);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void UnsupportedExtensionIsRejected()
    {
        var path = _tmp.File("x.gif");
        File.WriteAllBytes(path, [1, 2, 3]);
        var ex = Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Load(path, Gray(96, 96)));
        Assert.Contains(path, ex.Message);
        Assert.Contains(".gif", ex.Message);
    }
}
