using System.Buffers.Binary;
using System.IO.Hashing;
using Nanonet.Tflite;

namespace Nanonet.Packing.Tests;

public class PackingTests
{
    public static TheoryData<string> RefModels => new()
    {
        "tflm_person_detect_int8",
        "mlperf_tiny_vww_96_int8",
        "ei_mobilenetv2_035_96_gray_int8",
    };

    private static readonly Dictionary<string, byte[]> Cache = new();

    private static byte[] Tflite(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var b))
            {
                Cache[name] = b = File.ReadAllBytes(TestPaths.RefModel(name));
            }
            return b;
        }
    }

    [Theory]
    [MemberData(nameof(RefModels))]
    public void RefModel_PacksAndRoundTrips(string name)
    {
        var src = Tflite(name);
        var model = TfliteModel.Parse(src);
        var labels = new[] { "no person", "person ✓" };
        var blob = Packer.PackTflite(src, new PackOptions { Labels = labels });
        var f = NnbFile.Parse(blob);

        Assert.Equal(1, f.Version);
        Assert.Equal(blob.Length, f.TotalSize);
        Assert.Equal(labels, f.Labels);
        Assert.Equal(model.Inputs[0], f.Input.SourceIndex);
        Assert.Equal(model.Outputs[0], f.Output.SourceIndex);
        foreach (var t in f.Tensors)
        {
            var s = model.Tensors[t.SourceIndex];
            Assert.Equal(s.Shape, t.Shape);
            Assert.Equal(s.ZeroPoint, t.ZeroPoint);
            Assert.Equal(s.Scale, t.Scale);
            Assert.Equal(TensorType.Int8, s.Type);
        }
        // every TFLite op maps to one record, in order
        Assert.Equal(model.Operators.Count, f.Ops.Count);
        for (int i = 0; i < f.Ops.Count; i++)
        {
            Assert.Equal(i, f.Ops[i].SourceIndex);
            var src0 = model.Operators[i];
            Assert.Equal(src0.Outputs[0], f.Tensors[f.Ops[i].Output].SourceIndex);
            Assert.Equal(src0.Inputs[0], f.Tensors[f.Ops[i].Inputs[0]].SourceIndex);
        }
        // colour layout by channel count; Offset128 tables
        int c = f.Input.Shape[^1];
        Assert.Equal(c == 1 ? ColourLayout.Gray8 : ColourLayout.Rgb888, f.ColourLayout);
        var table = Assert.Single(f.PixelTables);
        for (int p = 0; p < 256; p++)
        {
            Assert.Equal(p - 128, table[p]);
        }
        // golden per-layer files are named by these source indices: every packed tensor has its golden entry, of
        // the same name and size, and the dump holds no tensor the packed model lacks (the folder is required)
        var golden = GoldenIndex.Load(name);
        foreach (var t in f.Tensors)
        {
            var e = golden.For(t.SourceIndex, $"packed tensor {t.SourceIndex}");
            Assert.Equal(model.Tensors[t.SourceIndex].Name, e.Name);
            Assert.Equal(t.ElementCount, e.Bytes);
            Assert.Equal((int)TensorType.Int8, e.Type);
        }
        Assert.Equal(f.Tensors.Count, golden.Entries.Count);
    }

    [Fact]
    public void PersonDetect_FitsTheSizeBudget()
    {
        var blob = Packer.PackTflite(Tflite("tflm_person_detect_int8"), new PackOptions());
        Assert.True(blob.Length <= 226_000, $"packed person_detect is {blob.Length} bytes");
        var f = NnbFile.Parse(blob);
        Assert.Equal(7_157_888, f.TotalMacs);
    }

    [Fact]
    public void Layout_AlignmentAndCrc()
    {
        var blob = Packer.PackTflite(Tflite("tflm_person_detect_int8"), new PackOptions { Labels = ["a", "bb"] });
        Assert.Equal("NNET"u8.ToArray(), blob[..4]);
        Assert.Equal(64, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(6)));
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(12));
        var copy = (byte[])blob.Clone();
        copy.AsSpan(12, 4).Clear();
        Assert.Equal(Crc32.HashToUInt32(copy), stored);
        var f = NnbFile.Parse(blob);
        Assert.Equal(0, f.DataOffset % 16);
        for (int i = 0; i < f.Ops.Count; i++)
        {
            var body = f.GetOpBody(i).Span;
            if (f.Ops[i].Code is NnbOpCode.Conv2D or NnbOpCode.DepthwiseConv2D)
            {
                Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(body[16..]) % 16);
                Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(body[20..]) % 4);
            }
        }
        // a flipped bit is caught by the CRC
        blob[blob.Length - 1] ^= 1;
        Assert.Contains("CRC", Assert.Throws<NnbFormatException>(() => NnbFile.Parse(blob)).Message);
    }

    [Fact]
    public void NnbParse_RejectsGarbage()
    {
        Assert.Throws<NnbFormatException>(() => NnbFile.Parse(new byte[10]));
        Assert.Throws<NnbFormatException>(() => NnbFile.Parse(new byte[100]));
        var blob = Packer.PackTflite(Tflite("tflm_person_detect_int8"), new PackOptions());
        Assert.Throws<NnbFormatException>(() => NnbFile.Parse(blob[..^1]));
        var v2 = (byte[])blob.Clone();
        v2[4] = 2;
        Assert.Contains("version", Assert.Throws<NnbFormatException>(() => NnbFile.Parse(v2)).Message);
    }

    [Fact]
    public void Labels_TooLongAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Packer.PackTflite(Tflite("tflm_person_detect_int8"), new PackOptions { Labels = ["ok", new string('é', 128)] }));
        Assert.Contains("label 1", e.Message);
        var blob = Packer.PackTflite(Tflite("tflm_person_detect_int8"), new PackOptions { Labels = [new string('x', 255), "b"] });
        Assert.Equal(255, NnbFile.Parse(blob).Labels[0].Length);
    }

    [Fact]
    public void Labels_AreNoneOrOnePerOutputValue()
    {
        var model = Tflite("tflm_person_detect_int8"); // 2 output values
        foreach (var labels in new[] { new[] { "one" }, ["a", "b", "c"] })
        {
            var e = Assert.Throws<ArgumentException>(() => Packer.PackTflite(model, new PackOptions { Labels = labels }));
            Assert.Equal("labels", e.ParamName);
            Assert.StartsWith($"{labels.Length} labels for a model with 2 output values", e.Message);
        }

        Assert.Empty(NnbFile.Parse(Packer.PackTflite(model, new PackOptions { Labels = [] })).Labels);
        Assert.Equal(["a", "b"], NnbFile.Parse(Packer.PackTflite(model, new PackOptions { Labels = ["a", "b"] })).Labels);
        var many = Assert.Throws<ArgumentException>(() =>
            Packer.PackTflite(model, new PackOptions { Labels = Enumerable.Range(0, 1025).Select(i => i.ToString()).ToArray() }));
        Assert.Contains("at most 1024", many.Message);
    }

    [Fact]
    public void RangeMapping_BuildsClampedTable()
    {
        // ei model: input scale 1/255, zp -128; Range(0, 1): q = round(p) - 128
        var blob = Packer.PackTflite(Tflite("ei_mobilenetv2_035_96_gray_int8"), new PackOptions { PixelMapping = PixelMapping.Range(0f, 1f) });
        var t = NnbFile.Parse(blob).PixelTables[0];
        for (int p = 0; p < 256; p++)
        {
            Assert.Equal(p - 128, t[p]);
        }
        // person_detect: scale 1/127.5, zp -1; Range(-1, 1): real = -1 + p/127.5 -> q = round(p - 127.5) - 1, clamped
        blob = Packer.PackTflite(Tflite("tflm_person_detect_int8"), new PackOptions { PixelMapping = PixelMapping.Range(-1f, 1f) });
        t = NnbFile.Parse(blob).PixelTables[0];
        Assert.Equal(-128, t[0]);   // round(-127.5) - 1 = -129, clamped
        Assert.InRange(t[255], 126, 127);
        for (int p = 1; p < 256; p++)
        {
            Assert.InRange(t[p] - t[p - 1], 0, 2);
        }
    }

    [Fact]
    public void ExactMultipliers_EqualTflm()
    {
        var src = Tflite("tflm_person_detect_int8");
        var model = TfliteModel.Parse(src);
        var blob = Packer.PackTflite(src, new PackOptions { ExactMultipliers = true });
        var f = NnbFile.Parse(blob);
        int checkedOps = 0;
        foreach (var op in f.Ops)
        {
            if (op.Code is not (NnbOpCode.Conv2D or NnbOpCode.DepthwiseConv2D or NnbOpCode.FullyConnected))
            {
                continue;
            }
            var q = TestDecoder.Decode(blob, op);
            Assert.Equal(31, q.MultBits);
            var (m, s, bias) = Expected(model, model.Operators[op.SourceIndex]);
            Assert.Equal(bias, q.Bias);
            for (int c = 0; c < m.Length; c++)
            {
                Assert.Equal(m[c], q.Mult[c]);
                if (m[c] != 0)
                {
                    Assert.Equal(s[c], q.Shift[c]);
                }
            }
            checkedOps++;
        }
        Assert.Equal(28, checkedOps);
    }

    [Theory]
    [MemberData(nameof(RefModels))]
    public void PackedBlocks_DecodeToProvenMultipliers(string name)
    {
        // Independent decode of every block: bias equals the TFLite bias, shift equals TFLM's, and the
        // multiplier is TFLM's rounded to mult_bits significant bits (or a neighbour at that width).
        var src = Tflite(name);
        var model = TfliteModel.Parse(src);
        var blob = Packer.PackTflite(src, new PackOptions());
        var f = NnbFile.Parse(blob);
        foreach (var op in f.Ops)
        {
            if (op.Code is not (NnbOpCode.Conv2D or NnbOpCode.DepthwiseConv2D or NnbOpCode.FullyConnected))
            {
                continue;
            }
            var q = TestDecoder.Decode(blob, op);
            var (m, s, bias) = Expected(model, model.Operators[op.SourceIndex]);
            Assert.Equal(bias, q.Bias);
            var lib = f.GetChannelQuant(op.Index)!;
            Assert.Equal(lib.Multiplier, q.Mult);
            Assert.Equal(lib.Bias, q.Bias);
            for (int c = 0; c < m.Length; c++)
            {
                if (m[c] == 0)
                {
                    Assert.Equal(0, q.Mult[c]);
                    continue;
                }
                Assert.Equal(s[c], q.Shift[c]);
                Assert.InRange(q.Mult[c], 1 << 30, int.MaxValue);
                Assert.Equal(0, q.Mult[c] & ((1 << (31 - q.MultBits)) - 1));
            }
            CheckEquivalence(model, model.Operators[op.SourceIndex], f, op, m, s, bias, q.Mult);
        }
    }

    /// <summary>
    /// For every channel: boundary and random accumulators of the reachable range give the same
    /// output with the stored multiplier as with TFLM's.
    /// </summary>
    private static void CheckEquivalence(TfliteModel model, TfliteOperator op, NnbFile f, NnbOp nop, int[] m, int[] s,
        int[] bias, int[] stored)
    {
        var rng = new Random(nop.Index);
        var input = model.Tensors[op.Inputs[0]];
        var output = model.Tensors[op.Outputs[0]];
        var w = model.Tensors[op.Inputs[1]].Data!;
        int zpIn = (int)input.ZeroPoint!.Value, zpOut = (int)output.ZeroPoint!.Value;
        var body = f.GetOpBody(nop.Index).Span;
        int actMin = (sbyte)body[nop.Code == NnbOpCode.FullyConnected ? 0 : 12];
        int actMax = (sbyte)body[nop.Code == NnbOpCode.FullyConnected ? 1 : 13];
        int channels = m.Length;
        bool depthwise = nop.Code == NnbOpCode.DepthwiseConv2D;
        var lo = new long[channels];
        var hi = new long[channels];
        for (int i = 0; i < w.Length; i++)
        {
            int c = depthwise ? i % channels : i / (w.Length / channels);
            long a = (sbyte)w[i] * (long)(-128 - zpIn), b = (sbyte)w[i] * (long)(127 - zpIn);
            lo[c] += Math.Min(a, b);
            hi[c] += Math.Max(a, b);
        }
        for (int c = 0; c < channels; c++)
        {
            long l = lo[c] + bias[c], h = hi[c] + bias[c];
            int Y(long acc, int mm) => Math.Clamp(TflmMath.MultiplyByQuantizedMultiplier((int)acc, mm, s[c]) + zpOut, actMin, actMax);
            for (int k = 0; k < 300; k++)
            {
                long acc = k < 20 ? l + k : k < 40 ? h - (k - 20) : rng.NextInt64(l, h + 1);
                acc = Math.Clamp(acc, l, h);
                Assert.True(Y(acc, m[c]) == Y(acc, stored[c]), $"op {nop.Index} channel {c} acc {acc}");
            }
        }
    }

    /// <summary>TFLM's multipliers, shifts and biases for a conv/depthwise/FC operator, computed here independently.</summary>
    private static (int[] M, int[] S, int[] Bias) Expected(TfliteModel model, TfliteOperator op)
    {
        var input = model.Tensors[op.Inputs[0]];
        var w = model.Tensors[op.Inputs[1]];
        var output = model.Tensors[op.Outputs[0]];
        int channels = op.BuiltinCode == (int)BuiltinOperator.DepthwiseConv2D ? w.Shape[^1] : w.Shape[0];
        var scales = w.Quantization!.Scales;
        var m = new int[channels];
        var s = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            double eff;
            if (op.BuiltinCode == (int)BuiltinOperator.FullyConnected && scales.Length == 1)
            {
                eff = (double)(input.Scale!.Value * scales[0]) / output.Scale!.Value;
            }
            else
            {
                eff = (double)input.Scale!.Value * scales[scales.Length == 1 ? 0 : c] / output.Scale!.Value;
            }
            (m[c], s[c]) = TflmMath.QuantizeMultiplier(eff);
        }
        var bias = new int[channels];
        if (op.Inputs.Length > 2 && op.Inputs[2] >= 0)
        {
            var b = model.Tensors[op.Inputs[2]].Data!;
            for (int c = 0; c < channels; c++)
            {
                bias[c] = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(4 * c));
            }
        }
        return (m, s, bias);
    }

    [Fact]
    public void QuantBlock_EncodeDecodeRoundTrip()
    {
        var rng = new Random(7);
        for (int iter = 0; iter < 200; iter++)
        {
            int n = rng.Next(1, 300);
            int multBits = rng.Next(1, 32);
            var bias = new int[n];
            var mult = new int[n];
            var shift = new int[n];
            int biasMag = rng.Next(0, 31);
            int shiftBase = rng.Next(-31, 20);
            for (int c = 0; c < n; c++)
            {
                bias[c] = biasMag == 0 ? 0 : rng.Next(-(1 << biasMag), 1 << biasMag);
                if (iter % 10 == 0 && c % 3 == 0)
                {
                    bias[c] = c % 2 == 0 ? int.MinValue : int.MaxValue;
                }
                long v = rng.NextInt64(1L << (multBits - 1), 1L << multBits);
                mult[c] = rng.Next(10) == 0 ? 0 : (int)(v << (31 - multBits));
                shift[c] = shiftBase + rng.Next(0, Math.Min(11, 31 - shiftBase));
            }
            var block = QuantBlock.Encode(bias, mult, shift, multBits);
            var d = TestDecoder.DecodeBlock(block, 0);
            Assert.Equal(bias, d.Bias);
            Assert.Equal(mult, d.Mult);
            Assert.Equal(multBits, d.MultBits);
            for (int c = 0; c < n; c++)
            {
                if (mult[c] != 0)
                {
                    Assert.Equal(shift[c], d.Shift[c]);
                }
            }
            Assert.Equal(12 + (n * (d.BiasBits + d.MultBits + d.ShiftBits) + 7) / 8, block.Length);
            var lib = QuantBlock.Decode(block, 0);
            Assert.Equal(d.Bias, lib.Bias);
            Assert.Equal(d.Mult, lib.Multiplier);
            Assert.Equal(d.Shift, lib.Shift);
        }
    }

    [Fact]
    public void UnsupportedOp_NamesTheOperatorIndex()
    {
        var data = TfliteBuilder.TwoOpModel((int)BuiltinOperator.MaxPool2D);
        var e = Assert.Throws<UnsupportedModelException>(() => Packer.PackTflite(data, new PackOptions()));
        Assert.Contains("operator 1 (MAX_POOL_2D)", e.Message);
        Assert.Equal(1, e.OperatorIndex);
    }

    /// <summary>
    /// x [1,2,2,2] -> op 0 RESHAPE -> y (<paramref name="y"/>) ; op 1 ADD(x, y) -> z (<paramref name="z"/>). All int8
    /// scale 0.5, zero point -3: only the shapes vary.
    /// </summary>
    private static byte[] AddModel(int[] y, int[] z)
    {
        var tb = new TfliteBuilder();
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 2, 2, 2], 9, 0.5f, -3));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec(y, 9, 0.5f, -3));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec(z, 9, 0.5f, -3));
        tb.Codes.Add(new TfliteBuilder.CodeSpec(22, 0)); // RESHAPE
        tb.Codes.Add(new TfliteBuilder.CodeSpec(0, 0));  // ADD
        tb.Ops.Add(new TfliteBuilder.OpSpec(0, [0], [1], 17, b => TfliteBuilder.Reshape(b, y)));
        tb.Ops.Add(new TfliteBuilder.OpSpec(1, [0, 1], [2], 11, b =>
        {
            b.StartTable(1);
            b.AddSbyte(0, 0, 0); // no fused activation
            return b.EndTable();
        }));
        tb.Inputs = [0];
        tb.Outputs = [2];
        return tb.Build();
    }

    [Fact]
    public void Add_OfEqualShapesPacks()
    {
        var f = NnbFile.Parse(Packer.PackTflite(AddModel([1, 2, 2, 2], [1, 2, 2, 2]), new PackOptions()));
        Assert.Equal(new[] { NnbOpCode.Reshape, NnbOpCode.Add }, f.Ops.Select(o => o.Code));
        Assert.Equal(new[] { 1, 2, 2, 2 }, f.Output.Shape);
    }

    [Theory]
    // same element count, other H/W/C: the engine's reader refuses these, so the packer must not write them
    [InlineData(new[] { 1, 2, 4, 1 }, new[] { 1, 2, 2, 2 }, "input shapes [1,2,2,2] and [1,2,4,1] differ; ADD needs equal shapes (broadcast is not supported)")]
    [InlineData(new[] { 1, 2, 2, 2 }, new[] { 1, 4, 2, 1 }, "output shape [1,4,2,1] differs from the input shape [1,2,2,2]; ADD needs equal shapes")]
    [InlineData(new[] { 2, 1, 2, 2 }, new[] { 1, 2, 2, 2 }, "input shapes [1,2,2,2] and [2,1,2,2] differ; ADD needs equal shapes (broadcast is not supported)")]
    // another rank is a broadcast in TFLite's terms: refused too
    [InlineData(new[] { 2, 2, 2 }, new[] { 1, 2, 2, 2 }, "input shapes [1,2,2,2] and [2,2,2] differ; ADD needs equal shapes (broadcast is not supported)")]
    public void Add_OfDifferentShapesIsRefusedNamingTheOperatorAndShapes(int[] y, int[] z, string what)
    {
        var e = Assert.Throws<UnsupportedModelException>(() => Packer.PackTflite(AddModel(y, z), new PackOptions()));
        Assert.Equal("operator 1 (ADD): " + what, e.Message);
        Assert.Equal(1, e.OperatorIndex);
    }

    [Fact]
    public void TinyBuiltModel_WithSupportedOps_Packs()
    {
        // the same tiny graph with AVERAGE_POOL_2D instead: duplicated/unused opcodes are fine
        var blob = Packer.PackTflite(TfliteBuilder.TwoOpModel((int)BuiltinOperator.AveragePool2D), new PackOptions());
        var f = NnbFile.Parse(blob);
        Assert.Equal(new[] { NnbOpCode.Reshape, NnbOpCode.AveragePool2D }, f.Ops.Select(o => o.Code));
        Assert.Equal(ColourLayout.Gray8, f.ColourLayout);
        Assert.Equal(new[] { 1, 2, 2, 1 }, f.Output.Shape);
        Assert.Equal(-3, f.Output.ZeroPoint);
    }

    [Fact]
    public void TinyEngineModel_IsRejectedAtTheQuantizeOp()
    {
        var e = Assert.Throws<UnsupportedModelException>(() =>
            Packer.PackTflite(File.ReadAllBytes(TestPaths.RefModel("tinyengine_vww_mcunet_80_int8")), new PackOptions()));
        Assert.Matches(@"^operator \d+ \(", e.Message);
        Assert.True(e.OperatorIndex >= 0);
    }

    [Fact]
    public void MalformedTflite_ThrowsFormatException()
    {
        var data = Tflite("tflm_person_detect_int8");
        Assert.Throws<TfliteFormatException>(() => Packer.PackTflite(data[..5000], new PackOptions()));
        var wrong = (byte[])data.Clone();
        wrong[5] = (byte)'X';
        Assert.Throws<TfliteFormatException>(() => Packer.PackTflite(wrong, new PackOptions()));
    }
}

/// <summary>A decoder of the bit-packed quant block written from nn_format.h, independent of QuantBlock.</summary>
internal static class TestDecoder
{
    public sealed record Block(int BiasBits, int MultBits, int ShiftBits, int[] Bias, int[] Mult, int[] Shift);

    public static Block Decode(byte[] blob, NnbOp op)
    {
        // locate the op record by walking the op table from the header
        int opsOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(32));
        int at = opsOffset;
        for (int i = 0; i < op.Index; i++)
        {
            at += BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(at + 2));
        }
        Assert.Equal((int)op.Code, blob[at]);
        int quantPos = op.Code == NnbOpCode.FullyConnected ? 12 + 8 : 12 + 20;
        int q = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(at + quantPos));
        return DecodeBlock(blob, q);
    }

    public static Block DecodeBlock(byte[] b, int q)
    {
        Assert.Equal(1, b[q]);
        int biasBits = b[q + 1], multBits = b[q + 2], shiftBits = b[q + 3];
        int shiftBase = (sbyte)b[q + 4];
        int n = b[q + 8] | b[q + 9] << 8;
        int pos = (q + 12) * 8;
        long Read(int bits)
        {
            long v = 0;
            for (int i = 0; i < bits; i++, pos++)
            {
                v |= (long)((b[pos / 8] >> (pos % 8)) & 1) << i;
            }
            return v;
        }
        var bias = new int[n];
        var mult = new int[n];
        var shift = new int[n];
        for (int c = 0; c < n; c++)
        {
            long raw = Read(biasBits);
            if (biasBits > 0 && (raw & (1L << (biasBits - 1))) != 0)
            {
                raw -= 1L << biasBits;
            }
            bias[c] = (int)raw;
            mult[c] = (int)(Read(multBits) * (1L << (31 - multBits)));
            shift[c] = shiftBase + (int)Read(shiftBits);
        }
        return new Block(biasBits, multBits, shiftBits, bias, mult, shift);
    }
}
