using System.Buffers.Binary;

namespace Nanonet.Packing.Tests;

/// <summary>
/// Runs packed models with a plain C# reference interpreter of the .nnb ops (written from nn_format.h and
/// BRIEF.md's arithmetic) and compares every intermediate tensor with TFLM's golden per-layer dumps.
/// This checks the importer's parameters (padding, multipliers, clamps, ADD constants) end to end.
/// SOFTMAX outputs are not compared (the fixed-point exp is the C kernel's business).
/// </summary>
public class GoldenTests
{
    [Theory]
    [InlineData("tflm_person_detect_int8", "tflm_person.gray96.i8", false)]
    [InlineData("mlperf_tiny_vww_96_int8", "tflm_person.rgb96.i8", false)]
    [InlineData("ei_mobilenetv2_035_96_gray_int8", "tflm_person.gray96.i8", false)]
    [InlineData("tflm_person_detect_int8", "tflm_person.gray96.i8", true)]
    public void EveryLayerMatchesTflm(string model, string input, bool exact)
    {
        // Every entry of INDEX.txt is accounted for: the graph input (equal to the golden input file), each op's
        // output (compared value for value), SOFTMAX outputs (equal to INDEX.txt's OUT line; the fixed-point exp is
        // checked against TFLM by the C suites and Nanonet.Cli.Tests). Nothing is skipped for a missing file.
        var golden = GoldenIndex.Load(model);
        var src = File.ReadAllBytes(TestPaths.RefModel(model));
        var tflite = Nanonet.Tflite.TfliteModel.Parse(src);
        var blob = Packer.PackTflite(src, new PackOptions { ExactMultipliers = exact });
        var f = NnbFile.Parse(blob);
        var values = new sbyte[f.Tensors.Count][];
        string inputFile = TestPaths.GoldenInput(input);
        Assert.True(File.Exists(inputFile), $"golden input {inputFile} is missing");
        values[f.InputTensorIndex] = Array.ConvertAll(File.ReadAllBytes(inputFile), b => (sbyte)b);
        var accounted = new HashSet<int>();

        var inEntry = golden.For(f.Input.SourceIndex, "the graph input");
        Assert.Equal(tflite.Tensors[f.Input.SourceIndex].Name, inEntry.Name);
        Assert.True(values[f.InputTensorIndex].SequenceEqual(GoldenIndex.Read(inEntry)), $"{inEntry.File} is not the input {inputFile}");
        accounted.Add(inEntry.TensorIndex);

        int compared = 0, softmax = 0;
        foreach (var op in f.Ops)
        {
            values[op.Output] = Run(blob, f, op, values);
            int source = f.Tensors[op.Output].SourceIndex;
            var entry = golden.For(source, $"op {op.Index} ({op.Code}, source {op.SourceIndex})");
            Assert.Equal(tflite.Tensors[source].Name, entry.Name);
            Assert.True(accounted.Add(source), $"t{source:D3} is the output of two ops");
            var expected = GoldenIndex.Read(entry);
            if (op.Code == NnbOpCode.Softmax)
            {
                Assert.True(expected.SequenceEqual(golden.Output), $"{entry.File} is not the OUT line of {golden.Path}");
                softmax++;
                continue;
            }
            Assert.Equal(expected.Length, values[op.Output].Length);
            int diff = Enumerable.Range(0, expected.Length).Count(i => expected[i] != values[op.Output][i]);
            Assert.True(diff == 0, $"op {op.Index} ({op.Code}, source {op.SourceIndex}): {diff} of {expected.Length} values differ from TFLM ({entry.File})");
            compared++;
        }
        var unaccounted = golden.Entries.Where(e => !accounted.Contains(e.TensorIndex)).Select(e => $"t{e.TensorIndex:D3}").ToList();
        Assert.True(unaccounted.Count == 0, $"{golden.Path} entries not produced by the packed model: {string.Join(", ", unaccounted)}");
        // one entry per op output plus the input; every op except the SOFTMAX head compared value for value
        Assert.Equal(f.Ops.Count + 1, golden.Entries.Count);
        Assert.Equal(1, softmax);
        Assert.Equal(f.Ops.Count - 1, compared);
    }

    private static int[] D4(int[] s) => s.Length >= 4 ? s : Enumerable.Repeat(1, 4 - s.Length).Concat(s).ToArray();

    private static sbyte[] Run(byte[] blob, NnbFile f, NnbOp op, sbyte[][] v)
    {
        var body = f.GetOpBody(op.Index).Span;
        var inT = f.Tensors[op.Inputs[0]];
        var outT = f.Tensors[op.Output];
        var x = v[op.Inputs[0]];
        var y = new sbyte[outT.ElementCount];
        int[] i4 = D4(inT.Shape), o4 = D4(outT.Shape);
        int zpIn = inT.ZeroPoint, zpOut = outT.ZeroPoint;
        switch (op.Code)
        {
            case NnbOpCode.Conv2D:
            case NnbOpCode.DepthwiseConv2D:
            {
                int kh = body[0], kw = body[1], sh = body[2], sw = body[3], dh = body[4], dw = body[5], pt = body[6], pl = body[7];
                int mult = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]);
                int amin = (sbyte)body[12], amax = (sbyte)body[13];
                int wOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[16..]);
                var q = f.GetChannelQuant(op.Index)!;
                int inH = i4[1], inW = i4[2], inC = i4[3], outC = o4[3];
                bool depthwise = op.Code == NnbOpCode.DepthwiseConv2D;
                for (int n = 0; n < o4[0]; n++)
                for (int oy = 0; oy < o4[1]; oy++)
                for (int ox = 0; ox < o4[2]; ox++)
                for (int oc = 0; oc < outC; oc++)
                {
                    int acc = q.Bias[oc];
                    for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int iy = oy * sh - pt + ky * dh, ix = ox * sw - pl + kx * dw;
                        if (iy < 0 || iy >= inH || ix < 0 || ix >= inW)
                        {
                            continue;
                        }
                        int ib = ((n * inH + iy) * inW + ix) * inC;
                        if (depthwise)
                        {
                            int ic = oc / mult;
                            acc += (sbyte)blob[wOff + (ky * kw + kx) * outC + oc] * (x[ib + ic] - zpIn);
                        }
                        else
                        {
                            int wb = wOff + ((oc * kh + ky) * kw + kx) * inC;
                            for (int ic = 0; ic < inC; ic++)
                            {
                                acc += (sbyte)blob[wb + ic] * (x[ib + ic] - zpIn);
                            }
                        }
                    }
                    int r = TflmMath.MultiplyByQuantizedMultiplier(acc, q.Multiplier[oc], q.Shift[oc]) + zpOut;
                    y[((n * o4[1] + oy) * o4[2] + ox) * outC + oc] = (sbyte)Math.Clamp(r, amin, amax);
                }
                return y;
            }
            case NnbOpCode.FullyConnected:
            {
                int amin = (sbyte)body[0], amax = (sbyte)body[1];
                int wOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                var q = f.GetChannelQuant(op.Index)!;
                int outD = outT.Shape[^1], batches = outT.ElementCount / outD, inD = inT.ElementCount / batches;
                for (int b = 0; b < batches; b++)
                for (int o = 0; o < outD; o++)
                {
                    int acc = q.Bias[o];
                    for (int i = 0; i < inD; i++)
                    {
                        acc += (sbyte)blob[wOff + o * inD + i] * (x[b * inD + i] - zpIn);
                    }
                    int r = TflmMath.MultiplyByQuantizedMultiplier(acc, q.Multiplier[o], q.Shift[o]) + zpOut;
                    y[b * outD + o] = (sbyte)Math.Clamp(r, amin, amax);
                }
                return y;
            }
            case NnbOpCode.AveragePool2D:
            {
                int fh = body[0], fw = body[1], sh = body[2], sw = body[3], pt = body[4], pl = body[5];
                int amin = (sbyte)body[6], amax = (sbyte)body[7];
                for (int n = 0; n < o4[0]; n++)
                for (int oy = 0; oy < o4[1]; oy++)
                for (int ox = 0; ox < o4[2]; ox++)
                for (int c = 0; c < o4[3]; c++)
                {
                    int sum = 0, count = 0;
                    for (int ky = 0; ky < fh; ky++)
                    for (int kx = 0; kx < fw; kx++)
                    {
                        int iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
                        if (iy < 0 || iy >= i4[1] || ix < 0 || ix >= i4[2])
                        {
                            continue;
                        }
                        sum += x[((n * i4[1] + iy) * i4[2] + ix) * i4[3] + c];
                        count++;
                    }
                    int avg = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                    y[((n * o4[1] + oy) * o4[2] + ox) * o4[3] + c] = (sbyte)Math.Clamp(avg, amin, amax);
                }
                return y;
            }
            case NnbOpCode.Reshape:
                Array.Copy(x, y, y.Length);
                return y;
            case NnbOpCode.Add:
            {
                var x2 = v[op.Inputs[1]];
                var t2 = f.Tensors[op.Inputs[1]];
                int ls = BinaryPrimitives.ReadInt32LittleEndian(body);
                int m1 = BinaryPrimitives.ReadInt32LittleEndian(body[4..]), s1 = BinaryPrimitives.ReadInt32LittleEndian(body[8..]);
                int m2 = BinaryPrimitives.ReadInt32LittleEndian(body[12..]), s2 = BinaryPrimitives.ReadInt32LittleEndian(body[16..]);
                int mo = BinaryPrimitives.ReadInt32LittleEndian(body[20..]), so = BinaryPrimitives.ReadInt32LittleEndian(body[24..]);
                int amin = (sbyte)body[28], amax = (sbyte)body[29];
                for (int i = 0; i < y.Length; i++)
                {
                    int a = (x[i] - zpIn) * (1 << ls), b = (x2[i] - t2.ZeroPoint) * (1 << ls);
                    int sum = TflmMath.MultiplyByQuantizedMultiplier(a, m1, s1) + TflmMath.MultiplyByQuantizedMultiplier(b, m2, s2);
                    int r = TflmMath.MultiplyByQuantizedMultiplier(sum, mo, so) + zpOut;
                    y[i] = (sbyte)Math.Clamp(r, amin, amax);
                }
                return y;
            }
            case NnbOpCode.Pad:
            {
                var before = new int[4];
                for (int d = 0; d < 4; d++)
                {
                    before[d] = BinaryPrimitives.ReadUInt16LittleEndian(body[(2 * d)..]);
                }
                Array.Fill(y, (sbyte)zpOut);
                for (int n = 0; n < i4[0]; n++)
                for (int h = 0; h < i4[1]; h++)
                for (int w = 0; w < i4[2]; w++)
                for (int c = 0; c < i4[3]; c++)
                {
                    int oi = (((n + before[0]) * o4[1] + h + before[1]) * o4[2] + w + before[2]) * o4[3] + c + before[3];
                    y[oi] = x[((n * i4[1] + h) * i4[2] + w) * i4[3] + c];
                }
                return y;
            }
            case NnbOpCode.Softmax:
                return y; // not compared
            default:
                throw new NotSupportedException(op.Code.ToString());
        }
    }
}
