using System.Buffers.Binary;

namespace Nanonet.Cli;

/// <summary>
/// Builds a weightless packed model (.nnb, zero weights and zero multipliers) of a standard MobileNet, so
/// the C planner can plan an architecture before any training: shapes are all the planner reads.
/// MobileNet v1: Keras' definition (channels int(filters * alpha)); v2: Keras' definition (channels made
/// divisible by 8, last conv 1280 for alpha &lt;= 1). Convolutions use SAME padding; the head is an average
/// pool over the whole map, then a 1x1 conv (v1) or a fully connected layer (v2), then softmax.
/// </summary>
public static class ArchModel
{
    private const int ConvOp = 1, DepthwiseOp = 2, PoolOp = 3, FcOp = 5, ReshapeOp = 6, SoftmaxOp = 7, AddOp = 8;

    // Valid parameter bodies taken from the shipped models (their values do not matter to the planner).
    private static readonly byte[] SoftmaxBody = Convert.FromHexString("80b98d661400000040f8ffff");
    private static readonly byte[] AddBody = Convert.FromHexString("140000009d6cfa7dffffffff0000004000000000f85bdb5fedffffff807f0000");

    private sealed record Tensor(int[] Shape);

    private sealed record Op(int Code, int In0, int In1, int Out, byte[] Body, int WeightBytes, int QuantChannels);

    private sealed class Graph
    {
        public List<Tensor> Tensors { get; } = new();

        public List<Op> Ops { get; } = new();

        public int AddTensor(params int[] shape)
        {
            Tensors.Add(new Tensor(shape));
            return Tensors.Count - 1;
        }

        public int Conv(int input, int outC, int k, int stride, bool depthwise)
        {
            var s = Tensors[input].Shape;
            int h = s[1], w = s[2], c = s[3];
            int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
            int padH = Math.Max(0, ((oh - 1) * stride) + k - h), padW = Math.Max(0, ((ow - 1) * stride) + k - w);
            int oc = depthwise ? c : outC;
            int output = AddTensor(1, oh, ow, oc);
            var body = new byte[24];
            body[0] = (byte)k;
            body[1] = (byte)k;
            body[2] = (byte)stride;
            body[3] = (byte)stride;
            body[4] = 1;
            body[5] = 1;
            body[6] = (byte)(padH / 2);
            body[7] = (byte)(padW / 2);
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(8), 1);
            body[12] = 0x80;
            body[13] = 0x7f;
            Ops.Add(new Op(depthwise ? DepthwiseOp : ConvOp, input, -1, output, body,
                depthwise ? k * k * oc : oc * k * k * c, oc));
            return output;
        }
    }

    /// <summary>Keras' _make_divisible(v, 8).</summary>
    /// <param name="v">The scaled channel count.</param>
    /// <returns>The channel count.</returns>
    public static int MakeDivisible(double v)
    {
        int n = Math.Max(8, (int)(v + 4) / 8 * 8);
        return n < 0.9 * v ? n + 8 : n;
    }

    /// <summary>Builds the .nnb bytes of an architecture.</summary>
    /// <param name="arch">"mobilenet-v1" or "mobilenet-v2".</param>
    /// <param name="alpha">Width multiplier (0 &lt; alpha &lt;= 4).</param>
    /// <param name="resolution">Input height and width (32 .. 480).</param>
    /// <param name="channels">Input channels (1 or 3).</param>
    /// <param name="classes">Output classes (2 .. 4096).</param>
    /// <returns>A valid packed model with zero weights.</returns>
    public static byte[] Build(string arch, double alpha, int resolution, int channels, int classes)
    {
        if (!(alpha > 0 && alpha <= 4)) // NaN fails too
        {
            throw new CliException($"--alpha must be in (0, 4], not {alpha}");
        }

        if (resolution < 32 || resolution > 480)
        {
            throw new CliException($"--resolution must be in [32, 480], not {resolution}");
        }

        if (channels != 1 && channels != 3)
        {
            throw new CliException($"--channels must be 1 or 3, not {channels}");
        }

        if (classes < 2 || classes > 4096)
        {
            throw new CliException($"--classes must be in [2, 4096], not {classes}");
        }

        var g = new Graph();
        int x = g.AddTensor(1, resolution, resolution, channels);
        int input = x;
        switch (arch)
        {
            case "mobilenet-v1":
                {
                    x = g.Conv(x, Math.Max(1, (int)(32 * alpha)), 3, 2, false);
                    int[][] layers = { new[] { 64, 1 }, new[] { 128, 2 }, new[] { 128, 1 }, new[] { 256, 2 }, new[] { 256, 1 },
                        new[] { 512, 2 }, new[] { 512, 1 }, new[] { 512, 1 }, new[] { 512, 1 }, new[] { 512, 1 },
                        new[] { 512, 1 }, new[] { 1024, 2 }, new[] { 1024, 1 } };
                    foreach (var l in layers)
                    {
                        x = g.Conv(x, 0, 3, l[1], true);
                        x = g.Conv(x, Math.Max(1, (int)(l[0] * alpha)), 1, 1, false);
                    }

                    x = Pool(g, x);
                    x = g.Conv(x, classes, 1, 1, false);
                    int r = g.AddTensor(1, classes);
                    g.Ops.Add(new Op(ReshapeOp, x, -1, r, Array.Empty<byte>(), 0, 0));
                    x = r;
                    break;
                }

            case "mobilenet-v2":
                {
                    x = g.Conv(x, MakeDivisible(32 * alpha), 3, 2, false);
                    int[][] blocks = { new[] { 1, 16, 1, 1 }, new[] { 6, 24, 2, 2 }, new[] { 6, 32, 3, 2 }, new[] { 6, 64, 4, 2 },
                        new[] { 6, 96, 3, 1 }, new[] { 6, 160, 3, 2 }, new[] { 6, 320, 1, 1 } };
                    foreach (var blk in blocks)
                    {
                        int outC = MakeDivisible(blk[1] * alpha);
                        for (int i = 0; i < blk[2]; i++)
                        {
                            int stride = i == 0 ? blk[3] : 1;
                            int inC = g.Tensors[x].Shape[3];
                            int y = blk[0] == 1 ? x : g.Conv(x, inC * blk[0], 1, 1, false);
                            y = g.Conv(y, 0, 3, stride, true);
                            y = g.Conv(y, outC, 1, 1, false);
                            if (stride == 1 && inC == outC)
                            {
                                int sum = g.AddTensor(g.Tensors[y].Shape);
                                g.Ops.Add(new Op(AddOp, x, y, sum, AddBody, 0, 0));
                                y = sum;
                            }

                            x = y;
                        }
                    }

                    x = g.Conv(x, alpha > 1 ? MakeDivisible(1280 * alpha) : 1280, 1, 1, false);
                    x = Pool(g, x);
                    int c = g.Tensors[x].Shape[3];
                    int r = g.AddTensor(1, c);
                    g.Ops.Add(new Op(ReshapeOp, x, -1, r, Array.Empty<byte>(), 0, 0));
                    int fc = g.AddTensor(1, classes);
                    var fcBody = new byte[12];
                    fcBody[0] = 0x80;
                    fcBody[1] = 0x7f;
                    fcBody[2] = 1;
                    g.Ops.Add(new Op(FcOp, r, -1, fc, fcBody, c * classes, classes));
                    x = fc;
                    break;
                }

            default:
                throw new CliException($"unknown --arch '{arch}' (mobilenet-v1 or mobilenet-v2)");
        }

        int output = g.AddTensor(g.Tensors[x].Shape);
        g.Ops.Add(new Op(SoftmaxOp, x, -1, output, SoftmaxBody, 0, 0));
        return Write(g, input, output);
    }

    private static int Pool(Graph g, int x)
    {
        var s = g.Tensors[x].Shape;
        int output = g.AddTensor(1, 1, 1, s[3]);
        g.Ops.Add(new Op(PoolOp, x, -1, output, new byte[] { (byte)s[1], (byte)s[2], (byte)s[1], (byte)s[2], 0, 0, 0x80, 0x7f }, 0, 0));
        return output;
    }

    private static int Align(int v, int a) => (v + a - 1) / a * a;

    private static byte[] Write(Graph g, int input, int output)
    {
        const int header = 64, spec = 64, tensorsOff = 68;
        int opsOff = Align(tensorsOff + (20 * g.Tensors.Count), 4);
        int opsSize = g.Ops.Sum(o => Align(12 + o.Body.Length, 4));
        int labelsOff = opsOff + opsSize;
        int dataOff = Align(labelsOff, 16);
        var dataOffsets = new List<(int W, int Q)>();
        int pos = dataOff;
        foreach (var op in g.Ops)
        {
            if (op.QuantChannels == 0)
            {
                dataOffsets.Add((0, 0));
                continue;
            }

            int w = Align(pos, 16);
            int q = Align(w + op.WeightBytes, 4);
            pos = q + 12 + ((op.QuantChannels + 7) / 8);
            dataOffsets.Add((w, q));
        }

        int total = Align(pos, 16);
        var blob = new byte[total];
        var span = blob.AsSpan();
        "NNET"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], header);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)total);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)g.Tensors.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)g.Ops.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], spec);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)tensorsOff);
        BinaryPrimitives.WriteUInt32LittleEndian(span[32..], (uint)opsOff);
        BinaryPrimitives.WriteUInt32LittleEndian(span[36..], (uint)opsSize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)labelsOff);
        BinaryPrimitives.WriteUInt16LittleEndian(span[46..], (ushort)input);
        BinaryPrimitives.WriteUInt16LittleEndian(span[48..], (ushort)output);
        BinaryPrimitives.WriteUInt32LittleEndian(span[52..], (uint)dataOff);
        BinaryPrimitives.WriteUInt32LittleEndian(span[56..], (uint)(total - dataOff));
        // input spec (raw int8 input, no pixel tables) is all zero
        for (int t = 0; t < g.Tensors.Count; t++)
        {
            var e = span.Slice(tensorsOff + (20 * t), 20);
            var shape = g.Tensors[t].Shape;
            e[0] = 1;
            e[1] = (byte)shape.Length;
            BinaryPrimitives.WriteUInt16LittleEndian(e[2..], 0xFFFF);
            for (int d = 0; d < shape.Length; d++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(e[(4 + (2 * d))..], checked((ushort)shape[d]));
            }

            BinaryPrimitives.WriteSingleLittleEndian(e[12..], 1.0f / 256);
            BinaryPrimitives.WriteInt32LittleEndian(e[16..], t == output ? -128 : 0);
        }

        int p = opsOff;
        for (int i = 0; i < g.Ops.Count; i++)
        {
            var op = g.Ops[i];
            int size = Align(12 + op.Body.Length, 4);
            span[p] = (byte)op.Code;
            BinaryPrimitives.WriteUInt16LittleEndian(span[(p + 2)..], (ushort)size);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(p + 4)..], (ushort)op.In0);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(p + 6)..], op.In1 < 0 ? (ushort)0xFFFF : (ushort)op.In1);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(p + 8)..], (ushort)op.Out);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(p + 10)..], 0xFFFF);
            op.Body.CopyTo(span[(p + 12)..]);
            var (w, q) = dataOffsets[i];
            if (op.QuantChannels > 0)
            {
                int at = op.Code == FcOp ? 4 : 16;
                BinaryPrimitives.WriteUInt32LittleEndian(span[(p + 12 + at)..], (uint)w);
                BinaryPrimitives.WriteUInt32LittleEndian(span[(p + 12 + at + 4)..], (uint)q);
                span[q] = 1;     // packed
                span[q + 2] = 1; // mult_bits 1: every multiplier 0
                BinaryPrimitives.WriteUInt16LittleEndian(span[(q + 8)..], (ushort)op.QuantChannels);
            }

            p += size;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], Crc32(blob));
        return blob;
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFFu;
        for (int i = 0; i < data.Length; i++)
        {
            crc ^= data[i];
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
