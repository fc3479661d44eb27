using Google.FlatBuffers;

namespace Nanonet.Packing.Tests;

/// <summary>Builds small TFLite flatbuffers for tests with Google.FlatBuffers' FlatBufferBuilder (slots from BRIEF.md).</summary>
internal sealed class TfliteBuilder
{
    public sealed record TensorSpec(int[] Shape, sbyte Type, float Scale, long ZeroPoint, byte[]? Data = null, string Name = "t");

    public sealed record OpSpec(int OpcodeIndex, int[] Inputs, int[] Outputs, byte OptionsType = 0,
        Func<FlatBufferBuilder, int>? Options = null);

    public sealed record CodeSpec(sbyte Deprecated, int Builtin);

    public List<TensorSpec> Tensors { get; } = new();
    public List<OpSpec> Ops { get; } = new();
    public List<CodeSpec> Codes { get; } = new();
    public int[] Inputs { get; set; } = [0];
    public int[] Outputs { get; set; } = [0];
    public string Identifier { get; set; } = "TFL3";

    private static int IntVector(FlatBufferBuilder b, int[] v)
    {
        b.StartVector(4, v.Length, 4);
        for (int i = v.Length - 1; i >= 0; i--)
        {
            b.AddInt(v[i]);
        }
        return b.EndVector().Value;
    }

    private static int OffsetVector(FlatBufferBuilder b, int[] offsets)
    {
        b.StartVector(4, offsets.Length, 4);
        for (int i = offsets.Length - 1; i >= 0; i--)
        {
            b.AddOffset(offsets[i]);
        }
        return b.EndVector().Value;
    }

    /// <summary>Pool2DOptions table.</summary>
    public static int Pool2D(FlatBufferBuilder b, int filter, int stride)
    {
        b.StartTable(6);
        b.AddSbyte(0, 1, 0); // VALID
        b.AddInt(1, stride, 0);
        b.AddInt(2, stride, 0);
        b.AddInt(3, filter, 0);
        b.AddInt(4, filter, 0);
        return b.EndTable();
    }

    /// <summary>ReshapeOptions table with new_shape.</summary>
    public static int Reshape(FlatBufferBuilder b, int[] shape)
    {
        int v = IntVector(b, shape);
        b.StartTable(1);
        b.AddOffset(0, v, 0);
        return b.EndTable();
    }

    public byte[] Build()
    {
        var b = new FlatBufferBuilder(1024);
        // buffers: 0 = empty sentinel, then one per constant tensor
        var bufferOffsets = new List<int>();
        b.StartTable(1);
        bufferOffsets.Add(b.EndTable());
        var tensorBuffer = new int[Tensors.Count];
        for (int i = 0; i < Tensors.Count; i++)
        {
            if (Tensors[i].Data is { } data)
            {
                b.StartVector(1, data.Length, 16);
                for (int k = data.Length - 1; k >= 0; k--)
                {
                    b.AddByte(data[k]);
                }
                int dv = b.EndVector().Value;
                b.StartTable(1);
                b.AddOffset(0, dv, 0);
                tensorBuffer[i] = bufferOffsets.Count;
                bufferOffsets.Add(b.EndTable());
            }
        }
        var tensorOffsets = new int[Tensors.Count];
        for (int i = 0; i < Tensors.Count; i++)
        {
            var t = Tensors[i];
            int shape = IntVector(b, t.Shape);
            int name = b.CreateString(t.Name + i).Value;
            b.StartVector(4, 1, 4);
            b.AddFloat(t.Scale);
            int scales = b.EndVector().Value;
            b.StartVector(8, 1, 8);
            b.AddLong(t.ZeroPoint);
            int zps = b.EndVector().Value;
            b.StartTable(7);
            b.AddOffset(2, scales, 0);
            b.AddOffset(3, zps, 0);
            int q = b.EndTable();
            b.StartTable(6);
            b.AddOffset(0, shape, 0);
            b.AddSbyte(1, t.Type, 0);
            b.AddUint(2, (uint)tensorBuffer[i], 0);
            b.AddOffset(3, name, 0);
            b.AddOffset(4, q, 0);
            tensorOffsets[i] = b.EndTable();
        }
        var opOffsets = new int[Ops.Count];
        for (int i = 0; i < Ops.Count; i++)
        {
            var o = Ops[i];
            int ins = IntVector(b, o.Inputs);
            int outs = IntVector(b, o.Outputs);
            int opts = o.Options?.Invoke(b) ?? 0;
            b.StartTable(6);
            b.AddUint(0, (uint)o.OpcodeIndex, 0);
            b.AddOffset(1, ins, 0);
            b.AddOffset(2, outs, 0);
            if (opts != 0)
            {
                b.AddByte(3, o.OptionsType, 0);
                b.AddOffset(4, opts, 0);
            }
            opOffsets[i] = b.EndTable();
        }
        int tensorsVec = OffsetVector(b, tensorOffsets);
        int inputsVec = IntVector(b, Inputs);
        int outputsVec = IntVector(b, Outputs);
        int opsVec = OffsetVector(b, opOffsets);
        b.StartTable(5);
        b.AddOffset(0, tensorsVec, 0);
        b.AddOffset(1, inputsVec, 0);
        b.AddOffset(2, outputsVec, 0);
        b.AddOffset(3, opsVec, 0);
        int subgraph = b.EndTable();

        var codeOffsets = new int[Codes.Count];
        for (int i = 0; i < Codes.Count; i++)
        {
            b.StartTable(4);
            b.AddSbyte(0, Codes[i].Deprecated, 0);
            b.AddInt(2, 1, 1);
            b.AddInt(3, Codes[i].Builtin, 0);
            codeOffsets[i] = b.EndTable();
        }
        int codesVec = OffsetVector(b, codeOffsets);
        int subgraphsVec = OffsetVector(b, [subgraph]);
        int buffersVec = OffsetVector(b, bufferOffsets.ToArray());
        b.StartTable(5);
        b.AddUint(0, 3, 0);
        b.AddOffset(1, codesVec, 0);
        b.AddOffset(2, subgraphsVec, 0);
        b.AddOffset(4, buffersVec, 0);
        int model = b.EndTable();
        b.Finish(model, Identifier);
        return b.SizedByteArray();
    }

    /// <summary>
    /// A two-op int8 model: op 0 RESHAPE [1,4,4,1] -> [1,4,4,1], op 1 = <paramref name="secondOp"/> (builtin code)
    /// with Pool2D options 2x2/2 -> [1,2,2,1]. Opcode table has an unused entry and a duplicate RESHAPE.
    /// </summary>
    public static byte[] TwoOpModel(int secondOp)
    {
        var tb = new TfliteBuilder();
        tb.Tensors.Add(new TensorSpec([1, 4, 4, 1], 9, 0.5f, -3));
        tb.Tensors.Add(new TensorSpec([1, 4, 4, 1], 9, 0.5f, -3));
        tb.Tensors.Add(new TensorSpec([1, 2, 2, 1], 9, 0.5f, -3));
        tb.Codes.Add(new CodeSpec(0, 40));            // unused MEAN
        tb.Codes.Add(new CodeSpec(22, 0));            // RESHAPE via the deprecated field
        tb.Codes.Add(new CodeSpec(0, 22));            // duplicate RESHAPE via builtin_code
        tb.Codes.Add(new CodeSpec(0, secondOp));
        tb.Ops.Add(new OpSpec(2, [0], [1], 17, b => Reshape(b, [1, 4, 4, 1])));
        tb.Ops.Add(new OpSpec(3, [1], [2], 5, b => Pool2D(b, 2, 2)));
        tb.Inputs = [0];
        tb.Outputs = [2];
        return tb.Build();
    }
}
