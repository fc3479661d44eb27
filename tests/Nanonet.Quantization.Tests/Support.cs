using System.Runtime.InteropServices;
using Google.FlatBuffers;
using Nanonet.Packing.Tests;
using Nanonet.Tflite;

namespace Nanonet.Quantization.Tests;

/// <summary>Builds small float32 TFLite models with the packing tests' <see cref="TfliteBuilder"/>.</summary>
internal static class FloatModels
{
    public const sbyte F32 = 0;
    public const sbyte I32 = 2;

    public static byte[] Bytes(float[] v) => MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

    public static byte[] Bytes(int[] v) => MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

    public static int Conv(FlatBufferBuilder b, int padding, int stride, int act)
    {
        b.StartTable(6);
        b.AddSbyte(0, (sbyte)padding, 0);
        b.AddInt(1, stride, 0);
        b.AddInt(2, stride, 0);
        b.AddSbyte(3, (sbyte)act, 0);
        return b.EndTable();
    }

    public static int Depthwise(FlatBufferBuilder b, int padding, int stride, int mult, int act)
    {
        b.StartTable(7);
        b.AddSbyte(0, (sbyte)padding, 0);
        b.AddInt(1, stride, 0);
        b.AddInt(2, stride, 0);
        b.AddInt(3, mult, 0);
        b.AddSbyte(4, (sbyte)act, 0);
        return b.EndTable();
    }

    public static int Pool(FlatBufferBuilder b, int padding, int filter, int stride)
    {
        b.StartTable(6);
        b.AddSbyte(0, (sbyte)padding, 0);
        b.AddInt(1, stride, 0);
        b.AddInt(2, stride, 0);
        b.AddInt(3, filter, 0);
        b.AddInt(4, filter, 0);
        return b.EndTable();
    }

    public static int FullyConnected(FlatBufferBuilder b, int act)
    {
        b.StartTable(3);
        b.AddSbyte(0, (sbyte)act, 0);
        return b.EndTable();
    }

    public static int Softmax(FlatBufferBuilder b, float beta)
    {
        b.StartTable(1);
        b.AddFloat(0, beta, 0);
        return b.EndTable();
    }

    public static int Add(FlatBufferBuilder b, int act)
    {
        b.StartTable(1);
        b.AddSbyte(0, (sbyte)act, 0);
        return b.EndTable();
    }

    public static int Pad(FlatBufferBuilder b)
    {
        b.StartTable(0);
        return b.EndTable();
    }

    public static float[] Random(Random r, int n, float lo = -1f, float hi = 1f)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = lo + (float)r.NextDouble() * (hi - lo);
        }
        return v;
    }

    /// <summary>
    /// input [1,6,6,2] -> PAD 1 -> [1,8,8,2] -> CONV 3x3/2 SAME RELU6 (3 ch) -> [1,4,4,3] -> DEPTHWISE 3x3/1 SAME mult 2 RELU
    /// -> [1,4,4,6] -> ADD (with itself's conv? no: with a second depthwise path) ... kept simple: AVG POOL 2x2/2 VALID
    /// -> [1,2,2,6] -> RESHAPE [1,24] -> FC 24->4 -> SOFTMAX. Also MEAN is tested separately.
    /// </summary>
    public static (byte[] Tflite, float[] Conv, float[] ConvBias, float[] Dw, float[] DwBias, float[] Fc, float[] FcBias) Chain(int seed)
    {
        var r = new Random(seed);
        var conv = Random(r, 3 * 3 * 3 * 2);
        var convBias = Random(r, 3, -0.2f, 0.2f);
        var dw = Random(r, 3 * 3 * 6);
        var dwBias = Random(r, 6, -0.2f, 0.2f);
        var fc = Random(r, 4 * 24);
        var fcBias = Random(r, 4, -0.2f, 0.2f);
        var tb = new TfliteBuilder();
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 6, 6, 2], F32, 0, 0));                     // 0 input
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([4, 2], I32, 0, 0, Bytes([0, 0, 1, 1, 1, 1, 0, 0]))); // 1 paddings
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 8, 8, 2], F32, 0, 0));                     // 2 padded
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([3, 3, 3, 2], F32, 0, 0, Bytes(conv)));        // 3
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([3], F32, 0, 0, Bytes(convBias)));             // 4
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4, 4, 3], F32, 0, 0));                     // 5 conv out
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 3, 3, 6], F32, 0, 0, Bytes(dw)));          // 6
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([6], F32, 0, 0, Bytes(dwBias)));               // 7
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4, 4, 6], F32, 0, 0));                     // 8 dw out
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 2, 2, 6], F32, 0, 0));                     // 9 pool out
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([2], I32, 0, 0, Bytes([1, 24])));              // 10 shape
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 24], F32, 0, 0));                          // 11 reshaped
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([4, 24], F32, 0, 0, Bytes(fc)));               // 12
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([4], F32, 0, 0, Bytes(fcBias)));               // 13
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4], F32, 0, 0));                           // 14 logits
        tb.Tensors.Add(new TfliteBuilder.TensorSpec([1, 4], F32, 0, 0));                           // 15 probabilities
        tb.Codes.Add(new TfliteBuilder.CodeSpec(34, 0)); // PAD
        tb.Codes.Add(new TfliteBuilder.CodeSpec(3, 0));  // CONV_2D
        tb.Codes.Add(new TfliteBuilder.CodeSpec(4, 0));  // DEPTHWISE_CONV_2D
        tb.Codes.Add(new TfliteBuilder.CodeSpec(1, 0));  // AVERAGE_POOL_2D
        tb.Codes.Add(new TfliteBuilder.CodeSpec(22, 0)); // RESHAPE
        tb.Codes.Add(new TfliteBuilder.CodeSpec(9, 0));  // FULLY_CONNECTED
        tb.Codes.Add(new TfliteBuilder.CodeSpec(25, 0)); // SOFTMAX
        tb.Ops.Add(new TfliteBuilder.OpSpec(0, [0, 1], [2], 22, Pad));
        tb.Ops.Add(new TfliteBuilder.OpSpec(1, [2, 3, 4], [5], 1, b => Conv(b, 0, 2, 3)));
        tb.Ops.Add(new TfliteBuilder.OpSpec(2, [5, 6, 7], [8], 2, b => Depthwise(b, 0, 1, 2, 1)));
        tb.Ops.Add(new TfliteBuilder.OpSpec(3, [8], [9], 5, b => Pool(b, 1, 2, 2)));
        tb.Ops.Add(new TfliteBuilder.OpSpec(4, [9, 10], [11], 17, b => TfliteBuilder.Reshape(b, [1, 24])));
        tb.Ops.Add(new TfliteBuilder.OpSpec(5, [11, 12, 13], [14], 8, b => FullyConnected(b, 0)));
        tb.Ops.Add(new TfliteBuilder.OpSpec(6, [14], [15], 9, b => Softmax(b, 1f)));
        tb.Inputs = [0];
        tb.Outputs = [15];
        return (tb.Build(), conv, convBias, dw, dwBias, fc, fcBias);
    }

    public static TfliteModel Parse(byte[] bytes) => TfliteModel.Parse(bytes);
}
