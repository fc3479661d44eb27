using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Nanonet.Packing;
using Nanonet.Tflite;

namespace Nanonet.Quantization;

/// <summary>
/// Float32 reference engine for the ops the Nanonet engine supports: CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D,
/// MEAN (over H and W), FULLY_CONNECTED, RESHAPE / SQUEEZE, SOFTMAX, ADD (same shapes), PAD / PADV2 (zero padding),
/// with fused NONE / RELU / RELU6 / RELU_N1_TO_1. Layouts as TFLite: NHWC activations, OHWI filters, depthwise
/// [1, KH, KW, C*mult]. SAME/VALID padding and dilation follow TFLite; padded taps contribute zero; average pooling
/// divides by the number of in-bounds taps. Used for calibration and to report float accuracy.
/// Instances are immutable and may run on several threads at once.
/// </summary>
public sealed class FloatModel
{
    private readonly FloatOp[] _ops;
    private readonly float[]?[] _constants;
    private readonly int[][] _shapes;

    private FloatModel(TfliteModel source, FloatOp[] ops, float[]?[] constants, int[][] shapes)
    {
        Source = source;
        _ops = ops;
        _constants = constants;
        _shapes = shapes;
        InputTensor = source.Inputs[0];
        OutputTensor = source.Outputs[0];
    }

    /// <summary>The TFLite model this engine runs.</summary>
    public TfliteModel Source { get; }

    /// <summary>TFLite index of the graph input tensor.</summary>
    public int InputTensor { get; }

    /// <summary>TFLite index of the graph output tensor.</summary>
    public int OutputTensor { get; }

    /// <summary>Shape of the graph input.</summary>
    public IReadOnlyList<int> InputShape => _shapes[InputTensor];

    /// <summary>Shape of the graph output.</summary>
    public IReadOnlyList<int> OutputShape => _shapes[OutputTensor];

    /// <summary>Number of values of the graph input.</summary>
    public int InputSize => Count(_shapes[InputTensor]);

    /// <summary>Number of values of the graph output.</summary>
    public int OutputSize => Count(_shapes[OutputTensor]);

    /// <summary>TFLite indices of the tensors each op writes, in execution order.</summary>
    public IReadOnlyList<int> OpOutputs => _ops.Select(o => o.Output).ToArray();

    /// <summary>
    /// Builds the engine for the first subgraph of a TFLite model.
    /// </summary>
    /// <param name="model">The model: a float32 graph, or (with <paramref name="dequantize"/>) a quantised one.</param>
    /// <param name="dequantize">Accept int8/int32 constants and dequantise them (real = scale * (q - zero point),
    /// per channel along the tensor's quantized dimension); activations are then computed in float whatever
    /// their stored type. Used to compare the float engine with the int8 engine on int8 reference models.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="UnsupportedModelException">An op, option or tensor the engine does not support (names the operator).</exception>
    public static FloatModel Create(TfliteModel model, bool dequantize = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Builder(model, dequantize).Build();
    }

    /// <summary>Runs one inference and returns the graph output.</summary>
    /// <param name="input">The graph input (NHWC), <see cref="InputSize"/> values.</param>
    /// <returns>The output values.</returns>
    public float[] Run(ReadOnlySpan<float> input) => RunAll(input)[OutputTensor]!;

    /// <summary>
    /// Runs one inference and returns every activation tensor, indexed by TFLite tensor index
    /// (null for constants and unused tensors). The graph input is included.
    /// </summary>
    /// <param name="input">The graph input (NHWC), <see cref="InputSize"/> values.</param>
    /// <returns>The tensors.</returns>
    public float[]?[] RunAll(ReadOnlySpan<float> input)
    {
        if (input.Length != InputSize)
        {
            throw new ArgumentException($"input has {input.Length} values; the model's input tensor has {InputSize}", nameof(input));
        }
        var t = new float[]?[_shapes.Length];
        t[InputTensor] = input.ToArray();
        foreach (var op in _ops)
        {
            var output = new float[Count(_shapes[op.Output])];
            op.Run(t, output);
            t[op.Output] = output;
        }
        return t;
    }

    /// <summary>Shape of a tensor.</summary>
    /// <param name="tensor">TFLite tensor index.</param>
    /// <returns>Its dimensions.</returns>
    public IReadOnlyList<int> Shape(int tensor) => _shapes[tensor];

    /// <summary>The float values of a constant tensor (dequantised when the engine was built with dequantisation), or null.</summary>
    /// <param name="tensor">TFLite tensor index.</param>
    /// <returns>The values, or null when the tensor is not a constant the engine uses.</returns>
    public float[]? Constant(int tensor) => _constants[tensor];

    private static int Count(int[] shape)
    {
        int n = 1;
        foreach (int d in shape)
        {
            n *= d;
        }
        return n;
    }

    // ------------------------------------------------------------------ ops

    private abstract class FloatOp
    {
        public int Output { get; init; }

        public abstract void Run(float[]?[] t, float[] output);

        protected static void Clamp(Span<float> v, float lo, float hi)
        {
            if (lo == float.NegativeInfinity && hi == float.PositiveInfinity)
            {
                return;
            }
            for (int i = 0; i < v.Length; i++)
            {
                float x = v[i];
                v[i] = x < lo ? lo : (x > hi ? hi : x);
            }
        }

        protected static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            int i = 0;
            float s = 0;
            if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
            {
                var va = MemoryMarshal.Cast<float, Vector<float>>(a);
                var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
                var acc = Vector<float>.Zero;
                for (int k = 0; k < va.Length; k++)
                {
                    acc += va[k] * vb[k];
                }
                s = Vector.Sum(acc);
                i = va.Length * Vector<float>.Count;
            }
            for (; i < a.Length; i++)
            {
                s += a[i] * b[i];
            }
            return s;
        }
    }

    private sealed class ConvOp : FloatOp
    {
        public required int Input { get; init; }
        public required float[] Weights { get; init; }
        public required float[] Bias { get; init; }
        public required int N, H, W, C, OH, OW, OC, KH, KW, SH, SW, DH, DW, PadTop, PadLeft;
        public required float Lo, Hi;

        public override void Run(float[]?[] t, float[] output)
        {
            var input = t[Input]!;
            int per = KH * KW * C;
            for (int n = 0; n < N; n++)
            {
                for (int oy = 0; oy < OH; oy++)
                {
                    for (int ox = 0; ox < OW; ox++)
                    {
                        var acc = output.AsSpan(((n * OH + oy) * OW + ox) * OC, OC);
                        Bias.CopyTo(acc);
                        for (int ky = 0; ky < KH; ky++)
                        {
                            int iy = oy * SH - PadTop + ky * DH;
                            if (iy < 0 || iy >= H)
                            {
                                continue;
                            }
                            for (int kx = 0; kx < KW; kx++)
                            {
                                int ix = ox * SW - PadLeft + kx * DW;
                                if (ix < 0 || ix >= W)
                                {
                                    continue;
                                }
                                var x = new ReadOnlySpan<float>(input, ((n * H + iy) * W + ix) * C, C);
                                int wBase = (ky * KW + kx) * C;
                                for (int o = 0; o < OC; o++)
                                {
                                    acc[o] += Dot(x, new ReadOnlySpan<float>(Weights, o * per + wBase, C));
                                }
                            }
                        }
                        Clamp(acc, Lo, Hi);
                    }
                }
            }
        }
    }

    private sealed class DepthwiseOp : FloatOp
    {
        public required int Input { get; init; }
        public required float[] Weights { get; init; }
        public required float[] Bias { get; init; }
        public required int N, H, W, C, OH, OW, OC, Mult, KH, KW, SH, SW, DH, DW, PadTop, PadLeft;
        public required float Lo, Hi;

        public override void Run(float[]?[] t, float[] output)
        {
            var input = t[Input]!;
            var w = Weights;
            for (int n = 0; n < N; n++)
            {
                for (int oy = 0; oy < OH; oy++)
                {
                    for (int ox = 0; ox < OW; ox++)
                    {
                        int outBase = ((n * OH + oy) * OW + ox) * OC;
                        var acc = output.AsSpan(outBase, OC);
                        Bias.CopyTo(acc);
                        for (int ky = 0; ky < KH; ky++)
                        {
                            int iy = oy * SH - PadTop + ky * DH;
                            if (iy < 0 || iy >= H)
                            {
                                continue;
                            }
                            for (int kx = 0; kx < KW; kx++)
                            {
                                int ix = ox * SW - PadLeft + kx * DW;
                                if (ix < 0 || ix >= W)
                                {
                                    continue;
                                }
                                int inBase = ((n * H + iy) * W + ix) * C;
                                int wBase = (ky * KW + kx) * OC;
                                if (Mult == 1)
                                {
                                    for (int c = 0; c < C; c++)
                                    {
                                        acc[c] += input[inBase + c] * w[wBase + c];
                                    }
                                }
                                else
                                {
                                    for (int c = 0; c < C; c++)
                                    {
                                        float x = input[inBase + c];
                                        for (int m = 0; m < Mult; m++)
                                        {
                                            acc[c * Mult + m] += x * w[wBase + c * Mult + m];
                                        }
                                    }
                                }
                            }
                        }
                        Clamp(acc, Lo, Hi);
                    }
                }
            }
        }
    }

    private sealed class AvgPoolOp : FloatOp
    {
        public required int Input { get; init; }
        public required int N, H, W, C, OH, OW, KH, KW, SH, SW, PadTop, PadLeft;
        public required float Lo, Hi;

        public override void Run(float[]?[] t, float[] output)
        {
            var input = t[Input]!;
            for (int n = 0; n < N; n++)
            {
                for (int oy = 0; oy < OH; oy++)
                {
                    for (int ox = 0; ox < OW; ox++)
                    {
                        var acc = output.AsSpan(((n * OH + oy) * OW + ox) * C, C);
                        int count = 0;
                        for (int ky = 0; ky < KH; ky++)
                        {
                            int iy = oy * SH - PadTop + ky;
                            if (iy < 0 || iy >= H)
                            {
                                continue;
                            }
                            for (int kx = 0; kx < KW; kx++)
                            {
                                int ix = ox * SW - PadLeft + kx;
                                if (ix < 0 || ix >= W)
                                {
                                    continue;
                                }
                                int inBase = ((n * H + iy) * W + ix) * C;
                                for (int c = 0; c < C; c++)
                                {
                                    acc[c] += input[inBase + c];
                                }
                                count++;
                            }
                        }
                        if (count > 0)
                        {
                            for (int c = 0; c < C; c++)
                            {
                                acc[c] /= count;
                            }
                        }
                        Clamp(acc, Lo, Hi);
                    }
                }
            }
        }
    }

    private sealed class MeanHwOp : FloatOp
    {
        public required int Input { get; init; }
        public required int N, H, W, C;

        public override void Run(float[]?[] t, float[] output)
        {
            var input = t[Input]!;
            for (int n = 0; n < N; n++)
            {
                var acc = output.AsSpan(n * C, C);
                for (int p = 0; p < H * W; p++)
                {
                    int inBase = (n * H * W + p) * C;
                    for (int c = 0; c < C; c++)
                    {
                        acc[c] += input[inBase + c];
                    }
                }
                for (int c = 0; c < C; c++)
                {
                    acc[c] /= H * W;
                }
            }
        }
    }

    private sealed class FullyConnectedOp : FloatOp
    {
        public required int Input { get; init; }
        public required float[] Weights { get; init; }
        public required float[] Bias { get; init; }
        public required int Batches, InDepth, OutDepth;
        public required float Lo, Hi;

        public override void Run(float[]?[] t, float[] output)
        {
            var input = t[Input]!;
            for (int b = 0; b < Batches; b++)
            {
                var x = new ReadOnlySpan<float>(input, b * InDepth, InDepth);
                var y = output.AsSpan(b * OutDepth, OutDepth);
                for (int o = 0; o < OutDepth; o++)
                {
                    y[o] = Bias[o] + Dot(x, new ReadOnlySpan<float>(Weights, o * InDepth, InDepth));
                }
                Clamp(y, Lo, Hi);
            }
        }
    }

    private sealed class CopyOp : FloatOp
    {
        public required int Input { get; init; }

        public override void Run(float[]?[] t, float[] output) => t[Input]!.AsSpan().CopyTo(output);
    }

    private sealed class SoftmaxOp : FloatOp
    {
        public required int Input { get; init; }
        public required int Rows, Depth;
        public required float Beta;

        public override void Run(float[]?[] t, float[] output)
        {
            var input = t[Input]!;
            for (int r = 0; r < Rows; r++)
            {
                var x = new ReadOnlySpan<float>(input, r * Depth, Depth);
                var y = output.AsSpan(r * Depth, Depth);
                float max = float.NegativeInfinity;
                foreach (float v in x)
                {
                    max = Math.Max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < Depth; i++)
                {
                    y[i] = MathF.Exp(Beta * (x[i] - max));
                    sum += y[i];
                }
                for (int i = 0; i < Depth; i++)
                {
                    y[i] = (float)(y[i] / sum);
                }
            }
        }
    }

    private sealed class AddOp : FloatOp
    {
        public required int Input0 { get; init; }
        public required int Input1 { get; init; }
        public required float Lo, Hi;

        public override void Run(float[]?[] t, float[] output)
        {
            var a = t[Input0]!;
            var b = t[Input1]!;
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = a[i] + b[i];
            }
            Clamp(output, Lo, Hi);
        }
    }

    private sealed class PadOp : FloatOp
    {
        public required int Input { get; init; }
        public required int[] InShape { get; init; }
        public required int[] OutShape { get; init; }
        public required int[] Before { get; init; }

        public override void Run(float[]?[] t, float[] output)
        {
            var input = t[Input]!;
            // shapes are 4-D here: copy each input row (last dimension) to its place
            int inC = InShape[3], outC = OutShape[3];
            for (int n = 0; n < InShape[0]; n++)
            {
                for (int y = 0; y < InShape[1]; y++)
                {
                    for (int x = 0; x < InShape[2]; x++)
                    {
                        int src = ((n * InShape[1] + y) * InShape[2] + x) * inC;
                        int dst = ((((n + Before[0]) * OutShape[1] + y + Before[1]) * OutShape[2]) + x + Before[2]) * outC + Before[3];
                        Array.Copy(input, src, output, dst, inC);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ builder

    private sealed class Builder(TfliteModel m, bool dequantize)
    {
        private readonly float[]?[] _constants = new float[]?[m.Tensors.Count];
        private readonly bool[] _available = new bool[m.Tensors.Count];
        private int _opIndex = -1;
        private string _opName = "";

        private UnsupportedModelException Fail(string what) => _opIndex < 0
            ? new UnsupportedModelException("model: " + what)
            : new UnsupportedModelException($"operator {_opIndex} ({_opName}): {what}") { OperatorIndex = _opIndex };

        public FloatModel Build()
        {
            if (m.Inputs.Count != 1 || m.Outputs.Count != 1)
            {
                throw Fail($"the graph has {m.Inputs.Count} inputs and {m.Outputs.Count} outputs; exactly one of each is supported");
            }
            if (m.Operators.Count == 0)
            {
                throw Fail("the graph has no operators");
            }
            var shapes = m.Tensors.Select(t => (int[])t.Shape.Clone()).ToArray();
            int input = m.Inputs[0];
            CheckActivationType(input, "graph input");
            CheckShape(shapes[input], $"graph input tensor {input}");
            _available[input] = true;
            var ops = new List<FloatOp>();
            foreach (var op in m.Operators)
            {
                _opIndex = op.Index;
                _opName = op.OpName;
                ops.Add(BuildOp(op, shapes));
            }
            _opIndex = -1;
            if (!_available[m.Outputs[0]] || m.Outputs[0] == input)
            {
                throw Fail($"graph output tensor {m.Outputs[0]} is not written by any op");
            }
            return new FloatModel(m, ops.ToArray(), _constants, shapes);
        }

        private void CheckActivationType(int index, string role)
        {
            var t = m.Tensors[index];
            if (t.Type == TensorType.Float32 || (dequantize && t.Type is TensorType.Int8 or TensorType.UInt8))
            {
                return;
            }
            throw Fail($"{role} tensor {index} ({t.Name}) has type {t.Type}; float32 activations are required");
        }

        private void CheckShape(int[] shape, string who)
        {
            if (shape.Length < 1 || shape.Length > 4)
            {
                throw Fail($"{who} has rank {shape.Length}; 1..4 supported");
            }
            long n = 1;
            foreach (int d in shape)
            {
                if (d < 1 || d > 4096)
                {
                    throw Fail($"{who} shape [{string.Join(",", shape)}]: each dimension must be 1..4096");
                }
                n *= d;
            }
            if (n > 4 * 1024 * 1024)
            {
                throw Fail($"{who} has {n} elements; at most {4 * 1024 * 1024}");
            }
        }

        private int ActIn(TfliteOperator op, int slot)
        {
            if (slot >= op.Inputs.Length || op.Inputs[slot] < 0)
            {
                throw Fail($"input {slot} is missing");
            }
            int src = op.Inputs[slot];
            if (m.Tensors[src].IsConstant)
            {
                throw Fail($"input {slot} (tensor {src}) is a constant where an activation is expected");
            }
            if (!_available[src])
            {
                throw Fail($"input tensor {src} is neither the graph input nor written by an earlier op");
            }
            return src;
        }

        private int ActOut(TfliteOperator op, int[][] shapes)
        {
            if (op.Outputs.Length != 1)
            {
                throw Fail($"has {op.Outputs.Length} outputs; exactly one expected");
            }
            int dst = op.Outputs[0];
            if (_available[dst] || m.Tensors[dst].IsConstant)
            {
                throw Fail($"output tensor {dst} is written twice or is a constant");
            }
            CheckActivationType(dst, "output");
            CheckShape(shapes[dst], $"output tensor {dst}");
            _available[dst] = true;
            return dst;
        }

        private T Options<T>(TfliteOperator op) where T : BuiltinOptions =>
            op.Options as T ?? throw Fail($"missing or wrong builtin options (expected {typeof(T).Name})");

        private (float Lo, float Hi) Activation(ActivationFunction f) => f switch
        {
            ActivationFunction.None => (float.NegativeInfinity, float.PositiveInfinity),
            ActivationFunction.Relu => (0f, float.PositiveInfinity),
            ActivationFunction.Relu6 => (0f, 6f),
            ActivationFunction.ReluN1To1 => (-1f, 1f),
            _ => throw Fail($"fused activation {f} is not supported"),
        };

        /// <summary>Float values of a constant input (weights, bias), dequantised if allowed.</summary>
        private float[] Const(TfliteOperator op, int slot, string role, long expected)
        {
            if (slot >= op.Inputs.Length || op.Inputs[slot] < 0)
            {
                throw Fail($"{role} tensor is missing");
            }
            int idx = op.Inputs[slot];
            var t = m.Tensors[idx];
            if (t.Data is null)
            {
                throw Fail($"{role} tensor {idx} is not constant");
            }
            if (t.ElementCount != expected)
            {
                throw Fail($"{role} tensor {idx} has {t.ElementCount} elements; {expected} expected");
            }
            if (_constants[idx] is { } cached)
            {
                return cached;
            }
            var values = new float[expected];
            switch (t.Type)
            {
                case TensorType.Float32 when t.Data.Length == expected * 4:
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = BinaryPrimitives.ReadSingleLittleEndian(t.Data.AsSpan(4 * i));
                        if (!float.IsFinite(values[i]))
                        {
                            throw Fail($"{role} tensor {idx} ({t.Name}) holds {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} at element {i}; a model's constants must be finite");
                        }
                    }
                    break;
                case TensorType.Int8 when dequantize && t.Data.Length == expected:
                    Dequantize(t, values, i => (sbyte)t.Data[i]);
                    break;
                case TensorType.Int32 when dequantize && t.Data.Length == expected * 4:
                    Dequantize(t, values, i => BinaryPrimitives.ReadInt32LittleEndian(t.Data.AsSpan(4 * i)));
                    break;
                default:
                    throw Fail($"{role} tensor {idx} has type {t.Type} ({t.Data.Length} bytes); float32 constants are required");
            }
            _constants[idx] = values;
            return values;
        }

        private void Dequantize(TfliteTensor t, float[] values, Func<int, long> read)
        {
            var q = t.Quantization ?? throw Fail($"tensor {t.Index} has no quantisation parameters to dequantise with");
            int channels = q.Scales.Length;
            // some files give a per-channel bias (1-D) the weights' quantized dimension: a 1-D tensor has only one
            int dim = t.Shape.Length == 1 ? 0 : q.QuantizedDimension;
            int inner = 1;
            if (channels > 1)
            {
                if (dim < 0 || dim >= t.Shape.Length || t.Shape[dim] != channels)
                {
                    throw Fail($"tensor {t.Index}: {channels} scales do not match dimension {dim}");
                }
                for (int d = dim + 1; d < t.Shape.Length; d++)
                {
                    inner *= t.Shape[d];
                }
            }
            for (int i = 0; i < values.Length; i++)
            {
                int c = channels > 1 ? (i / inner) % channels : 0;
                long zp = c < q.ZeroPoints.Length ? q.ZeroPoints[c] : 0;
                values[i] = q.Scales[c] * (read(i) - zp);
            }
        }

        private FloatOp BuildOp(TfliteOperator op, int[][] shapes)
        {
            switch ((BuiltinOperator)op.BuiltinCode)
            {
                case BuiltinOperator.Conv2D:
                case BuiltinOperator.DepthwiseConv2D:
                    return Conv(op, shapes, op.BuiltinCode == (int)BuiltinOperator.DepthwiseConv2D);
                case BuiltinOperator.AveragePool2D:
                    return AvgPool(op, shapes);
                case BuiltinOperator.Mean:
                    return Mean(op, shapes);
                case BuiltinOperator.FullyConnected:
                    return FullyConnected(op, shapes);
                case BuiltinOperator.Reshape:
                case BuiltinOperator.Squeeze:
                {
                    int i = ActIn(op, 0);
                    int o = ActOut(op, shapes);
                    if (Count(shapes[i]) != Count(shapes[o]))
                    {
                        throw Fail("input and output differ in element count");
                    }
                    return new CopyOp { Input = i, Output = o };
                }
                case BuiltinOperator.Softmax:
                {
                    int i = ActIn(op, 0);
                    int o = ActOut(op, shapes);
                    var opt = Options<SoftmaxOptions>(op);
                    if (!shapes[i].SequenceEqual(shapes[o]))
                    {
                        throw Fail("input and output shapes differ");
                    }
                    if (!(opt.Beta > 0) || !float.IsFinite(opt.Beta))
                    {
                        throw Fail($"beta {opt.Beta} is not supported");
                    }
                    int depth = shapes[i][^1];
                    return new SoftmaxOp { Input = i, Output = o, Rows = Count(shapes[i]) / depth, Depth = depth, Beta = opt.Beta };
                }
                case BuiltinOperator.Add:
                {
                    int a = ActIn(op, 0);
                    int b = ActIn(op, 1);
                    int o = ActOut(op, shapes);
                    if (!shapes[a].SequenceEqual(shapes[b]) || !shapes[a].SequenceEqual(shapes[o]))
                    {
                        throw Fail("input and output shapes differ (broadcast is not supported)");
                    }
                    var (lo, hi) = Activation(Options<AddOptions>(op).Activation);
                    return new AddOp { Input0 = a, Input1 = b, Output = o, Lo = lo, Hi = hi };
                }
                case BuiltinOperator.Pad:
                case BuiltinOperator.PadV2:
                    return Pad(op, shapes);
                default:
                    throw Fail("unsupported op");
            }
        }

        private static int[] As4D(int[] s) => s.Length >= 4 ? s : Enumerable.Repeat(1, 4 - s.Length).Concat(s).ToArray();

        private FloatOp Conv(TfliteOperator op, int[][] shapes, bool depthwise)
        {
            int i = ActIn(op, 0);
            if (op.Inputs.Length < 2 || op.Inputs[1] < 0)
            {
                throw Fail("weights tensor is missing");
            }
            int[] ws = m.Tensors[op.Inputs[1]].Shape;
            int o = ActOut(op, shapes);
            int[] ins = shapes[i], outs = shapes[o];
            if (ins.Length != 4 || outs.Length != 4 || ws.Length != 4)
            {
                throw Fail("input, output and weights must be 4-D");
            }
            Padding padding;
            int sh, sw, dh, dw, mult = 1;
            ActivationFunction act;
            if (depthwise)
            {
                var opt = Options<DepthwiseConv2DOptions>(op);
                (padding, sh, sw, dh, dw, act) = (opt.Padding, opt.StrideH, opt.StrideW, opt.DilationH, opt.DilationW, opt.Activation);
            }
            else
            {
                var opt = Options<Conv2DOptions>(op);
                (padding, sh, sw, dh, dw, act) = (opt.Padding, opt.StrideH, opt.StrideW, opt.DilationH, opt.DilationW, opt.Activation);
            }
            if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || padding is not (Padding.Same or Padding.Valid))
            {
                throw Fail("invalid stride, dilation or padding");
            }
            int kh = ws[1], kw = ws[2], oc = outs[3], c = ins[3];
            if (depthwise)
            {
                if (ws[0] != 1 || ws[3] != oc || oc % c != 0)
                {
                    throw Fail($"weights [{string.Join(",", ws)}] do not fit input channels {c} and output channels {oc}");
                }
                mult = oc / c;
            }
            else if (ws[0] != oc || ws[3] != c)
            {
                throw Fail($"weights [{string.Join(",", ws)}] do not fit input channels {c} and output channels {oc}");
            }
            int expH = TflmMath.OutputSize(padding, ins[1], kh, sh, dh);
            int expW = TflmMath.OutputSize(padding, ins[2], kw, sw, dw);
            if (outs[0] != ins[0] || outs[1] != expH || outs[2] != expW)
            {
                throw Fail($"output [{string.Join(",", outs)}] does not match the {expH}x{expW} that {padding} padding gives");
            }
            var weights = Const(op, 1, "weights", (long)ws[0] * kh * kw * ws[3]);
            var bias = op.Inputs.Length >= 3 && op.Inputs[2] >= 0 ? Const(op, 2, "bias", oc) : new float[oc];
            var (lo, hi) = Activation(act);
            int pt = TflmMath.PaddingBefore(padding, ins[1], kh, sh, dh);
            int pl = TflmMath.PaddingBefore(padding, ins[2], kw, sw, dw);
            if (depthwise)
            {
                return new DepthwiseOp
                {
                    Input = i, Output = o, Weights = weights, Bias = bias, N = ins[0], H = ins[1], W = ins[2], C = c,
                    OH = outs[1], OW = outs[2], OC = oc, Mult = mult, KH = kh, KW = kw, SH = sh, SW = sw, DH = dh, DW = dw,
                    PadTop = pt, PadLeft = pl, Lo = lo, Hi = hi,
                };
            }
            return new ConvOp
            {
                Input = i, Output = o, Weights = weights, Bias = bias, N = ins[0], H = ins[1], W = ins[2], C = c,
                OH = outs[1], OW = outs[2], OC = oc, KH = kh, KW = kw, SH = sh, SW = sw, DH = dh, DW = dw,
                PadTop = pt, PadLeft = pl, Lo = lo, Hi = hi,
            };
        }

        private FloatOp AvgPool(TfliteOperator op, int[][] shapes)
        {
            int i = ActIn(op, 0);
            int o = ActOut(op, shapes);
            var opt = Options<Pool2DOptions>(op);
            int[] ins = shapes[i], outs = shapes[o];
            if (ins.Length != 4 || outs.Length != 4 || ins[0] != outs[0] || ins[3] != outs[3])
            {
                throw Fail("input and output must be 4-D with the same batch and channels");
            }
            if (opt.FilterHeight < 1 || opt.FilterWidth < 1 || opt.StrideH < 1 || opt.StrideW < 1
                || opt.Padding is not (Padding.Same or Padding.Valid))
            {
                throw Fail("invalid filter, stride or padding");
            }
            int expH = TflmMath.OutputSize(opt.Padding, ins[1], opt.FilterHeight, opt.StrideH, 1);
            int expW = TflmMath.OutputSize(opt.Padding, ins[2], opt.FilterWidth, opt.StrideW, 1);
            if (outs[1] != expH || outs[2] != expW)
            {
                throw Fail($"output {outs[1]}x{outs[2]} does not match the {expH}x{expW} that {opt.Padding} padding gives");
            }
            var (lo, hi) = Activation(opt.Activation);
            return new AvgPoolOp
            {
                Input = i, Output = o, N = ins[0], H = ins[1], W = ins[2], C = ins[3], OH = outs[1], OW = outs[2],
                KH = opt.FilterHeight, KW = opt.FilterWidth, SH = opt.StrideH, SW = opt.StrideW,
                PadTop = TflmMath.PaddingBefore(opt.Padding, ins[1], opt.FilterHeight, opt.StrideH, 1),
                PadLeft = TflmMath.PaddingBefore(opt.Padding, ins[2], opt.FilterWidth, opt.StrideW, 1),
                Lo = lo, Hi = hi,
            };
        }

        private int[] Ints(TfliteTensor t, string role)
        {
            if (t.Data is null)
            {
                throw Fail($"{role} tensor {t.Index} is not constant");
            }
            if (t.Type == TensorType.Int32 && t.Data.Length == t.ElementCount * 4)
            {
                return Enumerable.Range(0, t.Data.Length / 4).Select(k => BinaryPrimitives.ReadInt32LittleEndian(t.Data.AsSpan(4 * k))).ToArray();
            }
            if (t.Type == TensorType.Int64 && t.Data.Length == t.ElementCount * 8)
            {
                return Enumerable.Range(0, t.Data.Length / 8)
                    .Select(k => (int)Math.Clamp(BinaryPrimitives.ReadInt64LittleEndian(t.Data.AsSpan(8 * k)), int.MinValue, int.MaxValue)).ToArray();
            }
            throw Fail($"{role} tensor {t.Index} has type {t.Type}; int32 or int64 required");
        }

        private FloatOp Mean(TfliteOperator op, int[][] shapes)
        {
            int i = ActIn(op, 0);
            if (op.Inputs.Length < 2 || op.Inputs[1] < 0)
            {
                throw Fail("axis tensor is missing");
            }
            var axes = Ints(m.Tensors[op.Inputs[1]], "axis").Select(a => a < 0 ? a + 4 : a).Distinct().OrderBy(a => a).ToArray();
            int o = ActOut(op, shapes);
            int[] ins = shapes[i];
            if (ins.Length != 4 || axes.Length != 2 || axes[0] != 1 || axes[1] != 2)
            {
                throw Fail($"reduces over axes [{string.Join(",", axes)}]; only H and W (1, 2) of a 4-D input are supported");
            }
            if (Count(shapes[o]) != ins[0] * ins[3])
            {
                throw Fail("output does not hold N*C values");
            }
            return new MeanHwOp { Input = i, Output = o, N = ins[0], H = ins[1], W = ins[2], C = ins[3] };
        }

        private FloatOp FullyConnected(TfliteOperator op, int[][] shapes)
        {
            int i = ActIn(op, 0);
            if (op.Inputs.Length < 2 || op.Inputs[1] < 0)
            {
                throw Fail("weights tensor is missing");
            }
            int[] ws = m.Tensors[op.Inputs[1]].Shape;
            int o = ActOut(op, shapes);
            var opt = Options<FullyConnectedOptions>(op);
            if (opt.WeightsFormat != 0)
            {
                throw Fail($"weights_format {opt.WeightsFormat} is not supported (DEFAULT only)");
            }
            if (ws.Length != 2)
            {
                throw Fail($"weights shape [{string.Join(",", ws)}] must be 2-D [out, in]");
            }
            int outDepth = shapes[o][^1];
            int outElems = Count(shapes[o]);
            int inElems = Count(shapes[i]);
            int batches = outElems / outDepth;
            if (ws[0] != outDepth || inElems % batches != 0 || inElems / batches != ws[1])
            {
                throw Fail($"weights [{string.Join(",", ws)}] do not fit input [{string.Join(",", shapes[i])}] and output [{string.Join(",", shapes[o])}]");
            }
            var weights = Const(op, 1, "weights", (long)ws[0] * ws[1]);
            var bias = op.Inputs.Length >= 3 && op.Inputs[2] >= 0 ? Const(op, 2, "bias", outDepth) : new float[outDepth];
            var (lo, hi) = Activation(opt.Activation);
            return new FullyConnectedOp
            {
                Input = i, Output = o, Weights = weights, Bias = bias, Batches = batches, InDepth = ws[1], OutDepth = outDepth,
                Lo = lo, Hi = hi,
            };
        }

        private FloatOp Pad(TfliteOperator op, int[][] shapes)
        {
            int i = ActIn(op, 0);
            if (op.Inputs.Length < 2 || op.Inputs[1] < 0)
            {
                throw Fail("paddings tensor is missing");
            }
            var pads = Ints(m.Tensors[op.Inputs[1]], "paddings");
            if (op.BuiltinCode == (int)BuiltinOperator.PadV2 && op.Inputs.Length >= 3 && op.Inputs[2] >= 0)
            {
                var cv = m.Tensors[op.Inputs[2]];
                bool zero = cv.Type == TensorType.Float32 && cv.Data is { Length: 4 } d && BinaryPrimitives.ReadSingleLittleEndian(d) == 0f;
                if (!zero)
                {
                    throw Fail("constant_values must be a float32 zero");
                }
            }
            int o = ActOut(op, shapes);
            int rank = shapes[i].Length;
            if (pads.Length != 2 * rank || shapes[o].Length != rank)
            {
                throw Fail($"paddings of {pads.Length} values do not match input rank {rank}");
            }
            int shift = 4 - rank;
            var before = new int[4];
            for (int d = 0; d < rank; d++)
            {
                if (pads[2 * d] < 0 || pads[2 * d + 1] < 0 || shapes[i][d] + pads[2 * d] + pads[2 * d + 1] != shapes[o][d])
                {
                    throw Fail("input padded by the paddings does not give the output shape");
                }
                before[shift + d] = pads[2 * d];
            }
            return new PadOp { Input = i, Output = o, InShape = As4D(shapes[i]), OutShape = As4D(shapes[o]), Before = before };
        }
    }
}
