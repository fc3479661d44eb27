using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Nanonet.Core;
using Nanonet.Imaging;

namespace Nanonet.Core.Tests;

public class Crc32Tests
{
    [Fact]
    public void MatchesSystemIoHashingOnRandomData()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8.ToArray(), 0, 9));
        var rng = new Random(1);
        for (int i = 0; i < 500; i++)
        {
            var data = new byte[rng.Next(0, 3000)];
            rng.NextBytes(data);
            int off = data.Length == 0 ? 0 : rng.Next(0, data.Length);
            int len = rng.Next(0, data.Length - off + 1);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data.AsSpan(off, len)), Crc32.Compute(data, off, len));
        }
    }
}

public class ModelInfoTests
{
    [Theory]
    [InlineData("person_detect.nnb", 1, ModelInfo.LayoutGray8)]
    [InlineData("vww_96.nnb", 3, ModelInfo.LayoutRgb888)]
    [InlineData("mobilenet_v2_035_96_gray.nnb", 1, ModelInfo.LayoutGray8)]
    public void ReadsShippedModels(string file, int channels, int layout)
    {
        var blob = Golden.Model(file);
        var info = ModelInfo.Parse(blob, verifyCrc: true);
        Assert.Equal(blob.Length, info.TotalSize);
        Assert.Equal(96, info.InputHeight);
        Assert.Equal(96, info.InputWidth);
        Assert.Equal(channels, info.InputChannels);
        Assert.Equal(96 * 96 * channels, info.InputElements);
        Assert.Equal(layout, info.ColourLayout);
        Assert.Equal(Nanonet.Native.NanonetEngine.OutputSize(blob), info.OutputElements);
        var labels = File.ReadAllLines(Path.Combine(TestPaths.Models, Path.ChangeExtension(file, ".labels.txt"))).Where(l => l.Length > 0).ToArray();
        Assert.Equal(labels, info.Labels);
        Assert.All(info.PixelTables, t => Assert.Equal(256, t.Length));
    }

    [Fact]
    public void RejectsBrokenBlobsWithMessages()
    {
        var blob = Golden.Model("person_detect.nnb");
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => ModelInfo.Parse(blob[..63], false)).Message);
        Assert.Contains("total_size", Assert.Throws<ModelFormatException>(() => ModelInfo.Parse(blob[..^1], false)).Message);
        var bad = (byte[])blob.Clone();
        bad[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<ModelFormatException>(() => ModelInfo.Parse(bad, false)).Message);
        bad = (byte[])blob.Clone();
        bad[^1] ^= 1;
        Assert.Contains("CRC", Assert.Throws<ModelFormatException>(() => ModelInfo.Parse(bad, true)).Message);
        ModelInfo.Parse(bad, false); // header intact

        // every truncation and random header corruption: a ModelFormatException or a result, nothing else
        var rng = new Random(3);
        for (int i = 0; i < 3000; i++)
        {
            var m = (byte[])blob.Clone();
            m[rng.Next(0, 64)] = (byte)rng.Next(256);
            m[rng.Next(0, 2000)] = (byte)rng.Next(256);
            try
            {
                ModelInfo.Parse(m, false);
            }
            catch (ModelFormatException)
            {
            }
        }
    }
}

public class PreprocessTests
{
    private static byte[] Expand565(byte[] frame, bool bigEndian)
    {
        int pixels = frame.Length / 2;
        var rgb = new byte[pixels * 3];
        for (int p = 0; p < pixels; p++)
        {
            int v = bigEndian ? (frame[2 * p] << 8) | frame[(2 * p) + 1] : (frame[(2 * p) + 1] << 8) | frame[2 * p];
            int r = v >> 11, g = (v >> 5) & 63, b = v & 31;
            rgb[3 * p] = (byte)((r * 8) + (r / 4));
            rgb[(3 * p) + 1] = (byte)((g * 4) + (g / 16));
            rgb[(3 * p) + 2] = (byte)((b * 8) + (b / 4));
        }

        return rgb;
    }

    /// <summary>The host pipeline: RGB picture, AreaResampler when the size differs, ImagePreprocessor.ToTensor.</summary>
    private static sbyte[] Host(byte[] rgb, int w, int h, ModelInfo info)
    {
        var image = new DecodedImage(w, h, rgb);
        var spec = new InputImageSpec(info.InputHeight, info.InputWidth, info.InputChannels, info.PixelTables);
        return ImagePreprocessor.ToTensor(ImagePreprocessor.Resize(image, info.InputWidth, info.InputHeight), spec);
    }

    [Theory]
    [InlineData("person_detect.nnb")]
    [InlineData("vww_96.nnb")]
    public void EqualsHostPipelineByteForByte(string file)
    {
        var info = ModelInfo.Parse(Golden.Model(file), false);
        var pre = new FramePreprocessor(info);
        var rng = new Random(file.Length);
        var tensor = new sbyte[pre.TensorLength];
        int[] sizes = [96, 1, 2, 7, 95, 97, 160, 192, 320, 33];
        for (int i = 0; i < 60; i++)
        {
            int w = i < 4 ? 96 : sizes[rng.Next(sizes.Length)];
            int h = i < 4 ? 96 : sizes[rng.Next(sizes.Length)];
            int format = (i % 4) + 1;
            var frame = new byte[w * h * PixelFormat.BytesPerPixel(format)];
            rng.NextBytes(frame);
            byte[] rgb = format switch
            {
                PixelFormat.Gray8 => frame.SelectMany(v => new[] { v, v, v }).ToArray(),
                PixelFormat.Rgb888 => frame,
                _ => Expand565(frame, format == PixelFormat.Rgb565BigEndian),
            };
            pre.Process(frame, 0, format, w, h, tensor);
            Assert.True(Host(rgb, w, h, info).AsSpan().SequenceEqual(tensor), $"{PixelFormat.Name(format)} {w}x{h}");
        }
    }

    [Fact]
    public void Gray96PassesThroughTheTable()
    {
        var info = ModelInfo.Parse(Golden.Model("person_detect.nnb"), false);
        var frame = new byte[96 * 96];
        new Random(5).NextBytes(frame);
        var tensor = new sbyte[96 * 96];
        new FramePreprocessor(info).Process(frame, 0, PixelFormat.Gray8, 96, 96, tensor);
        Assert.Equal(frame.Select(v => info.PixelTables[0][v]), tensor);
    }

    [Fact]
    public void RejectsBadFrames()
    {
        var info = ModelInfo.Parse(Golden.Model("vww_96.nnb"), false);
        var pre = new FramePreprocessor(info);
        var t = new sbyte[pre.TensorLength];
        Assert.Throws<ArgumentException>(() => pre.Process(new byte[10], 0, PixelFormat.Rgb888, 96, 96, t));
        Assert.Throws<ArgumentException>(() => pre.Process(new byte[10], 0, 9, 1, 1, t));
        Assert.Throws<ArgumentException>(() => pre.Process(new byte[3], 0, PixelFormat.Rgb888, 1, 1, new sbyte[5]));
    }
}

public class TopKTests
{
    [Fact]
    public void SortsByValueThenLowerIndex()
    {
        var info = ModelInfo.Parse(Golden.Model("person_detect.nnb"), false);
        var rng = new Random(9);
        for (int i = 0; i < 2000; i++)
        {
            var outputs = new sbyte[rng.Next(1, 40)];
            for (int j = 0; j < outputs.Length; j++)
            {
                outputs[j] = (sbyte)rng.Next(-4, 4);
            }

            int k = rng.Next(1, outputs.Length + 3);
            var top = TopK.Select(outputs, k, info);
            var expected = Enumerable.Range(0, outputs.Length).OrderByDescending(x => outputs[x]).ThenBy(x => x).Take(k).ToArray();
            Assert.Equal(expected, top.Select(p => p.Index));
            Assert.All(top, p => Assert.Equal(outputs[p.Index], p.Value));
        }
    }

    [Fact]
    public void DequantisesToPerMille()
    {
        var info = ModelInfo.Parse(Golden.Model("person_detect.nnb"), false);
        var top = TopK.Select([-113, 113], 2, info);
        Assert.Equal(1, top[0].Index);
        Assert.Equal("person", top[0].Label);
        double expected = info.OutputScale * (113 - info.OutputZeroPoint) * 1000;
        Assert.Equal((int)Math.Round(expected, MidpointRounding.AwayFromZero), top[0].ScoreMilli);
        Assert.Equal("0.887", TopK.FormatMilli(887));
        Assert.Equal("-1.250", TopK.FormatMilli(-1250));
        Assert.Equal("0.005", TopK.FormatMilli(5));
    }
}

public class NanoFrameworkBuildTests
{
    private static string DeviceDll()
    {
        string dir = Path.Combine(TestPaths.RepoRoot, "firmware", "Nanonet.Core", "bin");
        var dlls = Directory.Exists(dir) ? Directory.GetFiles(dir, "Nanonet.Core.dll", SearchOption.AllDirectories) : [];
        Assert.True(dlls.Length > 0, "the device build firmware/Nanonet.Core/bin/**/Nanonet.Core.dll is missing");
        return dlls.OrderByDescending(File.GetLastWriteTimeUtc).First();
    }

    [Fact]
    public void DeviceDllReferencesOnlyNanoFrameworkMscorlibAndHasNoSynthesisedTypes()
    {
        using var pe = new PEReader(File.OpenRead(DeviceDll()));
        var md = pe.GetMetadataReader();
        var refs = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).ToList();
        var only = Assert.Single(refs);
        Assert.Equal("mscorlib", md.GetString(only.Name));
        Assert.Equal(1, only.Version.Major);
        Assert.Equal(17, only.Version.Minor);
        Assert.Equal("C07D481E9758C731", Convert.ToHexString(md.GetBlobBytes(only.PublicKeyOrToken)));
        var names = md.TypeDefinitions.Select(h => md.GetTypeDefinition(h)).Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToList();
        Assert.DoesNotContain(names, n => n.Contains("Embedded") || n.Contains("PrivateImplementationDetails") || n.Contains("Nullable") || n.Contains("RefSafety") || n.Contains('`'));
        Assert.All(names.Where(n => n != ".<Module>"), n => Assert.StartsWith("Nanonet.Core", n));
    }

    [Fact]
    public void NfprojCompilesEverySourceFile()
    {
        string dir = Path.Combine(TestPaths.RepoRoot, "firmware", "Nanonet.Core");
        string nfproj = File.ReadAllText(Path.Combine(dir, "Nanonet.Core.nfproj"));
        var sources = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f))
            .Where(f => !f.StartsWith("obj") && !f.StartsWith("bin"))
            .ToList();
        Assert.NotEmpty(sources);
        foreach (string s in sources)
        {
            Assert.Contains($"<Compile Include=\"{s.Replace('/', '\\')}\" />", nfproj);
        }

        Assert.Contains("{11A8DD76-328B-46DF-9F39-F559912D0360}", nfproj);
        Assert.Contains("id=\"nanoFramework.CoreLibrary\" version=\"1.17.11\" targetFramework=\"netnano1.0\"", File.ReadAllText(Path.Combine(dir, "packages.config")));
    }
}
