using System.Buffers.Binary;
using Nanonet.Native;
using Nanonet.Packing;
using Nanonet.Packing.Tests;
using Nanonet.Tflite;

namespace Nanonet.Quantization.Tests;

public sealed class QuantizerTests
{
    public static TheoryData<string> Int8Models => new()
    {
        "tflm_person_detect_int8.tflite",
        "mlperf_tiny_vww_96_int8.tflite",
        "ei_mobilenetv2_035_96_gray_int8.tflite",
        "tinyengine_vww_mcunet_80_int8.tflite",
    };

    /// <summary>
    /// The documented weight rule (docs/quantization.md, "Weights"), written out here independently of the quantiser:
    /// per channel along <paramref name="dim"/> (-1: one scale for the tensor), scale = max|w| / 127 in float32;
    /// when the bias code |b| / (s_in * scale) would exceed 2^30 (or the weights are all zero and the bias is not)
    /// the scale is |b| / (s_in * 2^30); 1 when weights and bias are all zero. Codes round(w / scale) half away from
    /// zero, clamped to -127..127.
    /// </summary>
    private static (float[] Scales, sbyte[] Codes) ReferenceWeightQuantisation(float[] w, int[] shape, int dim, float[]? bias, float inputScale)
    {
        int channels = dim < 0 ? 1 : shape[dim];
        int inner = 1;
        for (int d = dim + 1; dim >= 0 && d < shape.Length; d++)
        {
            inner *= shape[d];
        }
        int ChannelOf(int i) => dim < 0 ? 0 : i / inner % channels;
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            float maxAbs = 0f;
            for (int i = 0; i < w.Length; i++)
            {
                if (ChannelOf(i) == c)
                {
                    maxAbs = MathF.Max(maxAbs, MathF.Abs(w[i]));
                }
            }
            float s = maxAbs / 127f;
            double b = bias is null ? 0 : Math.Abs((double)bias[c]);
            if (b != 0 && (s == 0f || b / ((double)inputScale * s) > 1 << 30))
            {
                s = (float)(b / ((double)inputScale * (1 << 30)));
            }
            scales[c] = s == 0f ? 1f : s;
        }
        var codes = new sbyte[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(Math.Round((double)(w[i] / scales[ChannelOf(i)]), MidpointRounding.AwayFromZero), -127, 127);
        }
        return (scales, codes);
    }

    /// <summary>
    /// Dequantise every conv / depthwise / fully-connected weight tensor (and its bias) of an int8 reference model and
    /// quantise it again: the quantiser's scales and codes must equal the documented rule computed here
    /// (<see cref="ReferenceWeightQuantisation"/>), bit for bit, on every channel. The rule is then checked against the
    /// converter that made the file: where a channel's largest code is 127 the file's scale and codes come back
    /// bit for bit; where TFLite raised the scale to keep the bias code at 2^30 the scale agrees to float rounding.
    /// </summary>
    [Theory]
    [MemberData(nameof(Int8Models))]
    public void DequantisedWeightsQuantiseAsTheDocumentedRuleSays(string file)
    {
        var m = TfliteModel.Parse(File.ReadAllBytes(TestPaths.RefModel(file)));
        int checkedOps = 0, checkedAgainstFile = 0;
        foreach (var op in m.Operators)
        {
            if (op.BuiltinCode is not ((int)BuiltinOperator.Conv2D or (int)BuiltinOperator.DepthwiseConv2D or (int)BuiltinOperator.FullyConnected))
            {
                continue;
            }
            var wt = m.Tensors[op.Inputs[1]];
            var q = wt.Quantization!;
            bool perChannel = q.Scales.Length > 1;
            int dim = perChannel ? q.QuantizedDimension : -1;
            var fileCodes = Array.ConvertAll(wt.Data!, b => (sbyte)b);
            int channels = q.Scales.Length;
            int inner = 1;
            for (int d = dim + 1; perChannel && d < wt.Shape.Length; d++)
            {
                inner *= wt.Shape[d];
            }
            int ChannelOf(int i) => perChannel ? i / inner % channels : 0;
            var w = new float[fileCodes.Length];
            var maxCode = new int[channels];
            for (int i = 0; i < w.Length; i++)
            {
                int c = ChannelOf(i);
                w[i] = fileCodes[i] * q.Scales[c];
                maxCode[c] = Math.Max(maxCode[c], Math.Abs((int)fileCodes[i]));
            }
            float inputScale = m.Tensors[op.Inputs[0]].Scale!.Value;
            float[]? bias = null;
            if (perChannel && op.Inputs.Length > 2 && op.Inputs[2] >= 0)
            {
                var bt = m.Tensors[op.Inputs[2]];
                bias = new float[bt.ElementCount];
                for (int c = 0; c < bias.Length; c++)
                {
                    int qb = BinaryPrimitives.ReadInt32LittleEndian(bt.Data.AsSpan(4 * c));
                    bias[c] = qb * bt.Quantization!.Scales[bt.Quantization.Scales.Length == 1 ? 0 : c];
                }
            }
            var (refScales, refCodes) = ReferenceWeightQuantisation(w, wt.Shape, dim, bias, inputScale);

            // the quantiser against the rule: every channel, every code, exactly
            var scales = Quantizer.WeightScales(w, wt.Shape, dim, bias, inputScale);
            Assert.Equal(channels, scales.Length);
            for (int c = 0; c < channels; c++)
            {
                Assert.True(refScales[c] == scales[c], $"{file} op {op.Index} channel {c}: quantiser scale {scales[c]:R}, rule {refScales[c]:R}");
            }
            var codes = Quantizer.QuantizeWeights(w, wt.Shape, dim, scales);
            for (int i = 0; i < codes.Length; i++)
            {
                Assert.True(refCodes[i] == codes[i], $"{file} op {op.Index} weight {i} (channel {ChannelOf(i)}): quantiser code {codes[i]}, rule {refCodes[i]}");
            }

            // the rule against the file's converter
            for (int c = 0; c < channels; c++)
            {
                if (maxCode[c] == 127)
                {
                    // max|w| = 127 * s exactly, and 127 * s / 127 in float32 is s again
                    Assert.True(q.Scales[c] == refScales[c], $"{file} op {op.Index} channel {c}: rule scale {refScales[c]:R} != file {q.Scales[c]:R}");
                }
                else if (perChannel && bias![c] != 0f && !IsTinyEngineEpsilon(file, q.Scales[c]))
                {
                    // TFLite raised this scale for the bias. Both sides are |b| / (s_in * 2^30) from float32 operands;
                    // they differ by float32 rounding only: our bias is the dequantised code qb * s_b (one float32
                    // product, 0.5 ulp; the code itself is within 2^-31 relative of TFLite's float bias), TFLite's
                    // division and product in float32 (1 ulp), our final rounding to float32 (0.5 ulp): 2 ulps.
                    // (Measured on vww: 971 such channels, at most 2 ulps apart. The old bound 1e-5 was ~80 ulps.)
                    int ulps = Math.Abs(BitConverter.SingleToInt32Bits(refScales[c]) - BitConverter.SingleToInt32Bits(q.Scales[c]));
                    Assert.True(ulps <= 2,
                        $"{file} op {op.Index} channel {c}: rule's bias-adjusted scale {refScales[c]:R} is {ulps} ulps from the file's {q.Scales[c]:R}");
                }
                else
                {
                    // an all-zero channel with a zero bias, TinyEngine's FLT_EPSILON dead channels, or per-tensor
                    // weights from another converter: no statement about the file's scale
                    continue;
                }
                for (int i = 0; i < w.Length; i++)
                {
                    if (ChannelOf(i) == c)
                    {
                        Assert.True(fileCodes[i] == refCodes[i], $"{file} op {op.Index} weight {i} (channel {c}): rule code {refCodes[i]}, file {fileCodes[i]}");
                    }
                }
                checkedAgainstFile++;
            }
            checkedOps++;
        }
        Assert.True(checkedOps > 0);
        Assert.True(checkedAgainstFile > 0);
    }

    private static bool IsTinyEngineEpsilon(string file, float scale) =>
        file.StartsWith("tinyengine", StringComparison.Ordinal) && scale == MathF.BitIncrement(1f) - 1f;

    /// <summary>
    /// input [1,1,2,1] (scale 1/255, zp -128) -> CONV 1x1, 2 channels, weights {0.5, -0.25}, bias {0.1, 0.05}, RELU6
    /// -> FULLY_CONNECTED 2 -> 1, weights {1, 2}, bias 0, no activation. Calibration: pixels {0, 255} and {255, 51}:
    /// every number below is computed by hand from the TFLite conventions.
    /// </summary>
    [Fact]
    public void SmallModelMatchesAHandComputation()
    {
        var tb = new TfliteBuilder();
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 1, 2, 1], FloatModels.F32, 0, 0));                          // 0 input
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([2, 1, 1, 1], FloatModels.F32, 0, 0, FloatModels.Bytes([0.5f, -0.25f])));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([2], FloatModels.F32, 0, 0, FloatModels.Bytes([0.1f, 0.05f])));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 1, 2, 2], FloatModels.F32, 0, 0));                          // 3 conv out
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4], FloatModels.F32, 0, 0, FloatModels.Bytes([1f, 2f, 3f, -4f])));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 1], FloatModels.F32, 0, 0));                                // 5 fc out
        tb.Codes.Add(new TfliteBuilder.CodeSpec(3, 0));
        tb.Codes.Add(new TfliteBuilder.CodeSpec(9, 0));
        tb.Ops.Add(new TfliteBuilder.OpSpec(0, [0, 1, 2], [3], 1, b => FloatModels.Conv(b, 1, 1, 3)));
        tb.Ops.Add(new TfliteBuilder.OpSpec(1, [3, 4, -1], [5], 8, b => FloatModels.FullyConnected(b, 0)));
        tb.Inputs = [0];
        tb.Outputs = [5];
        var model = TfliteModel.Parse(tb.Build());

        // pixels -> codes q = p - 128 -> real = (q + 128) / 255
        sbyte[][] calibration = [FloatInput.Codes([0, 255]), FloatInput.Codes([255, 51])];
        var r = Quantizer.Quantize(model, calibration, new QuantizeOptions { ExactMultipliers = true });
        var qm = r.QuantizedModel;

        // input: fixed 1/255, -128
        Assert.Equal(TensorType.Int8, qm.Tensors[0].Type);
        Assert.Equal(1f / 255f, qm.Tensors[0].Scale);
        Assert.Equal(-128, qm.Tensors[0].ZeroPoint);

        // conv weights: per channel scale max|w|/127, codes +127 / -127
        var w = qm.Tensors[1];
        Assert.Equal([0.5f / 127f, 0.25f / 127f], w.Quantization!.Scales);
        Assert.Equal(new sbyte[] { 127, -127 }, Array.ConvertAll(w.Data!, v => (sbyte)v));
        Assert.Equal(0, w.Quantization.QuantizedDimension);
        // bias: round(b / (s_in * s_w)) with s_in * s_w in float
        var b = qm.Tensors[2];
        Assert.Equal(TensorType.Int32, b.Type);
        float bs0 = (1f / 255f) * (0.5f / 127f), bs1 = (1f / 255f) * (0.25f / 127f);
        Assert.Equal([bs0, bs1], b.Quantization!.Scales);
        int b0 = (int)Math.Round(0.1 / bs0, MidpointRounding.AwayFromZero);   // 0.1 * 255 * 254 = 6477
        int b1 = (int)Math.Round(0.05 / bs1, MidpointRounding.AwayFromZero);  // 0.05 * 255 * 508 = 6477
        Assert.Equal(6477, b0);
        Assert.Equal(6477, b1);
        Assert.Equal(b0, BinaryPrimitives.ReadInt32LittleEndian(b.Data.AsSpan(0)));
        Assert.Equal(b1, BinaryPrimitives.ReadInt32LittleEndian(b.Data.AsSpan(4)));

        // conv output: float values with RELU6: x in {0, 1, 1, 0.2}: ch0 = 0.5x + 0.1 -> {0.1, 0.6, 0.6, 0.2};
        // ch1 = -0.25x + 0.05 -> {0.05, 0, 0, 0}; range [0, 0.6] -> scale 0.6/255, zp -128
        float convMax = 0.5f * 1f + 0.1f;
        var convOut = qm.Tensors[3];
        Assert.Equal(convMax / 255f, convOut.Scale!.Value, 6);
        Assert.Equal(-128, convOut.ZeroPoint);
        float sOut = convOut.Scale!.Value;

        // fc: per channel (one channel) scale 4/127 over all 4 weights ... shape [1,4]: one output, max|w| = 4
        var fw = qm.Tensors[4];
        Assert.Equal([4f / 127f], fw.Quantization!.Scales);
        Assert.Equal(new sbyte[] { 32, 64, 95, -127 }, Array.ConvertAll(fw.Data!, v => (sbyte)v));

        // packed: multipliers and clamps
        var nnb = NnbFile.Parse(r.Packed);
        Assert.Equal(2, nnb.Ops.Count);
        var cq = nnb.GetChannelQuant(0)!;
        Assert.Equal([b0, b1], cq.Bias);
        for (int c = 0; c < 2; c++)
        {
            double eff = (double)(1f / 255f) * (double)w.Quantization.Scales[c] / (double)sOut;
            var (m, s) = TflmMath.QuantizeMultiplier(eff);
            Assert.Equal(m, cq.Multiplier[c]);
            Assert.Equal(s, cq.Shift[c]);
        }
        // RELU6 clamp: [max(-128, zp), min(127, zp + round(6 / scale))] = [-128, 127] since 6 / scale > 255
        var body = nnb.GetOpBody(0).Span;
        Assert.Equal(-128, (sbyte)body[12]);
        Assert.Equal(127, (sbyte)body[13]);

        // fc output: float values: [0.1,0.05,0.6,0] . [1,2,3,-4] = 0.1+0.1+1.8 = 2.0 ; [0.6,0,0.2,0] -> 0.6+0.6 = 1.2
        var fcOut = qm.Tensors[5];
        Assert.Equal(2.0f / 255f, fcOut.Scale!.Value, 6);
        Assert.Equal(-128, fcOut.ZeroPoint);
        var fq = nnb.GetChannelQuant(1)!;
        // one output channel = one scale: the packer takes TFLM's per-tensor path, float product first
        float product = sOut * (4f / 127f);
        var (fm, fs) = TflmMath.QuantizeMultiplier((double)product / (double)fcOut.Scale!.Value);
        Assert.Equal(fm, fq.Multiplier[0]);
        Assert.Equal(fs, fq.Shift[0]);
        Assert.Equal(0, fq.Bias[0]);

        // the int8 model reproduces float closely
        Assert.Equal(2, r.Top1Agreement);
        var out0 = NanonetEngine.Run(r.Packed, calibration[0]);
        // the engine's int8 output, exactly: TFLM's integer pipeline written out on the packed parameters
        // (acc = bias + w * (x - zp_in), requantise, + zp_out, clamp), conv then fully connected
        sbyte[] x0 = calibration[0];
        int zIn = (int)qm.Tensors[0].ZeroPoint!.Value, zConv = (int)convOut.ZeroPoint!.Value, zFc = (int)fcOut.ZeroPoint!.Value;
        var conv8 = new int[4];
        for (int p = 0; p < 2; p++)
        {
            for (int c = 0; c < 2; c++)
            {
                int acc = cq.Bias[c] + (sbyte)w.Data![c] * (x0[p] - zIn);
                int v = TflmMath.MultiplyByQuantizedMultiplier(acc, cq.Multiplier[c], cq.Shift[c]) + zConv;
                conv8[p * 2 + c] = Math.Clamp(v, (sbyte)body[12], (sbyte)body[13]);
            }
        }
        int fcAcc = fq.Bias[0];
        for (int i = 0; i < 4; i++)
        {
            fcAcc += (sbyte)fw.Data![i] * (conv8[i] - zConv);
        }
        var fcBody = nnb.GetOpBody(1).Span;
        int expected8 = Math.Clamp(TflmMath.MultiplyByQuantizedMultiplier(fcAcc, fq.Multiplier[0], fq.Shift[0]) + zFc,
            (sbyte)fcBody[0], (sbyte)fcBody[1]);
        Assert.Equal(expected8, out0[0]);
    }

    [Fact]
    public void ActivationParametersFollowTflite()
    {
        Assert.Equal(new QuantParams(6f / 255f, -128), QuantParams.FromRange(0f, 6f));
        Assert.Equal(new QuantParams(2f / 255f, -1), QuantParams.FromRange(-1f, 1f));   // -128 + 127.5 rounds away from zero
        Assert.Equal(new QuantParams(2f / 255f, -128), QuantParams.FromRange(1f, 2f));  // widened to include 0
        Assert.Equal(new QuantParams(3f / 255f, 127), QuantParams.FromRange(-3f, -1f)); // widened: [-3, 0]
        var p = QuantParams.FromRange(-0.5f, 2f);
        Assert.Equal(2.5f / 255f, p.Scale);
        Assert.Equal((int)MathF.Round(-128f + 0.5f / p.Scale, MidpointRounding.AwayFromZero), p.ZeroPoint);
    }

    [Fact]
    public void CalibrationMethodsClipOutliers()
    {
        var st = new TensorStatistics();
        var values = new float[100_000];
        var r = new Random(1);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)r.NextDouble();   // uniform [0, 1)
        }
        values[17] = 50f;                        // one outlier
        st.Observe(values);
        st.Accumulate(values);
        Assert.Equal((0f, 50f), (MathF.Round(st.Range(CalibrationMethod.MinMax).Min), st.Range(CalibrationMethod.MinMax).Max));
        var pr = st.Range(CalibrationMethod.Percentile, 99.9);
        Assert.InRange(pr.Max, 0.95f, 1.05f);
        Assert.InRange(pr.Min, 0f, 0.01f);

        // heavy tail (exponential, max about ln(1e5) = 11.5): mse clips the tail, but not the bulk
        var tail = new TensorStatistics();
        var e = new float[100_000];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = (float)-Math.Log(1 - r.NextDouble());
        }
        tail.Observe(e);
        tail.Accumulate(e);
        var mm = tail.Range(CalibrationMethod.MinMax);
        var mr = tail.Range(CalibrationMethod.Mse);
        Assert.True(mr.Max < mm.Max, $"mse range {mr}, minmax {mm}");
        Assert.True(mr.Max > 0.7f * mm.Max, $"mse range {mr}, minmax {mm}");
        Assert.Throws<InvalidOperationException>(() => new TensorStatistics().Range(CalibrationMethod.MinMax));
    }

    [Fact]
    public void UnsupportedOpInTheFloatModelIsRefused()
    {
        var tb = new TfliteBuilder();
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4, 4, 1], FloatModels.F32, 0, 0));
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 2, 2, 1], FloatModels.F32, 0, 0));
        tb.Codes.Add(new TfliteBuilder.CodeSpec(17, 0)); // MAX_POOL_2D
        tb.Ops.Add(new TfliteBuilder.OpSpec(0, [0], [1], 5, b => FloatModels.Pool(b, 1, 2, 2)));
        tb.Inputs = [0];
        tb.Outputs = [1];
        var e = Assert.Throws<UnsupportedModelException>(() =>
            Quantizer.Quantize(TfliteModel.Parse(tb.Build()), [new sbyte[16]], new QuantizeOptions()));
        Assert.Contains("MAX_POOL_2D", e.Message);
    }

    private static TfliteModel VwwFloatWithWeights(string op, Func<int, float> weight)
    {
        var m = TfliteModel.Parse(File.ReadAllBytes(TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite")));
        var w = m.Tensors[m.Operators.First(o => o.OpName == op).Inputs[1]];
        var data = (byte[])w.Data!.Clone();
        for (int i = 0; i < data.Length / 4; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), weight(i));
        }
        var tensors = m.Tensors.ToArray();
        tensors[w.Index] = w with { Data = data };
        return m.WithTensors(tensors);
    }

    [Fact]
    public void ANonFiniteWeightIsNamed()
    {
        var m = VwwFloatWithWeights("CONV_2D", i => i == 5 ? float.NaN : 0.01f);
        var e = Assert.Throws<UnsupportedModelException>(() => FloatModel.Create(m));
        Assert.Matches(@"^operator 0 \(CONV_2D\): weights tensor \d+ \(.+\) holds NaN at element 5; a model's constants must be finite$", e.Message);

        m = VwwFloatWithWeights("FULLY_CONNECTED", i => i == 0 ? float.NegativeInfinity : 0f);
        Assert.Contains("holds -Infinity at element 0", Assert.Throws<UnsupportedModelException>(() => FloatModel.Create(m)).Message);
    }

    [Fact]
    public void AFloatModelThatOverflowsOnTheCalibrationPicturesIsNamed()
    {
        // finite weights whose sums overflow float32: the fully connected output is +inf on any picture
        var m = VwwFloatWithWeights("FULLY_CONNECTED", _ => 3e38f);
        var pixels = new byte[96 * 96 * 3];
        new Random(3).NextBytes(pixels);
        var e = Assert.Throws<UnsupportedModelException>(() =>
            Quantizer.Quantize(m, [FloatInput.Codes(pixels)], new QuantizeOptions()));
        Assert.StartsWith("operator 29 (FULLY_CONNECTED): its output range on the calibration pictures is [", e.Message);
        Assert.Equal(29, e.OperatorIndex);
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Mse)]
    public void ChainModelQuantisesWithEveryMethod(CalibrationMethod method)
    {
        var (bytes, _, _, _, _, _, _) = FloatModels.Chain(11);
        var model = TfliteModel.Parse(bytes);
        var r = new Random(5);
        var samples = Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, 72).Select(_ => (sbyte)r.Next(-128, 128)).ToArray()).ToList();
        var stages = new HashSet<string>();
        var q = Quantizer.Quantize(model, samples, new QuantizeOptions { Method = method, Progress = (s, _, _) => stages.Add(s) });
        Assert.True(NanonetEngine.Validate(q.Packed).IsOk);
        Assert.Equal(7, q.Layers.Count);
        Assert.Equal(method == CalibrationMethod.MinMax ? 2 : 3, stages.Count);
        Assert.Equal("input", q.Layers[0].Origin);          // PAD shares its input's parameters
        Assert.Equal("fixed", q.Layers[6].Origin);          // SOFTMAX 1/256, -128
        Assert.Equal(q.Layers[2].Scale, q.Layers[3].Scale); // AVERAGE_POOL shares the depthwise output's
        Assert.True(q.Top1Agreement >= 12, $"agreement {q.Top1Agreement}/16");
        foreach (var l in q.Layers)
        {
            Assert.True(l.SqnrDb > 15, $"op {l.OpIndex} {l.Op}: sqnr {l.SqnrDb}");
        }
        Assert.Contains("\"layers\"", q.ToJson());
    }
}
