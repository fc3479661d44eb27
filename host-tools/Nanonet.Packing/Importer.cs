using System.Buffers.Binary;
using Nanonet.Tflite;

namespace Nanonet.Packing;

/// <summary>An activation tensor of the plan.</summary>
internal sealed record PlanTensor(int SourceIndex, int[] Shape, float Scale, int ZeroPoint);

/// <summary>
/// An op of the plan: its record body with placeholders for the data offsets, plus the weights and
/// quantisation block the writer places in the data section.
/// </summary>
internal sealed class PlanOp
{
    public required NnbOpCode Code { get; init; }
    public required int Input0 { get; init; }
    public int Input1 { get; init; } = -1;
    public required int Output { get; init; }
    public required int SourceIndex { get; init; }
    public required byte[] Body { get; init; }
    public byte[]? Weights { get; init; }
    public byte[]? Quant { get; init; }
    /// <summary>Body offset of the u32 weights_offset field (-1 when none).</summary>
    public int WeightsFieldPos { get; init; } = -1;
    /// <summary>Body offset of the u32 quant_offset field (-1 when none).</summary>
    public int QuantFieldPos { get; init; } = -1;
    /// <summary>mult_bits chosen (0 when no quant block), for reports.</summary>
    public int MultBits { get; init; }
}

/// <summary>The imported graph, ready to be written.</summary>
internal sealed record Plan(List<PlanTensor> Tensors, List<PlanOp> Ops, int InputTensor, int OutputTensor);

/// <summary>Maps a TFLite graph onto engine ops, computing every parameter as TFLM's Prepare does.</summary>
internal sealed class Importer
{
    private const int MaxKernel = 15;
    private const int MaxStride = 8;
    private const int MaxDilation = 8;
    private const int MaxDim = 4096;
    private const int MaxElements = 4 * 1024 * 1024;

    private readonly TfliteModel _m;
    private readonly bool _exact;
    private readonly List<PlanTensor> _tensors = new();
    private readonly Dictionary<int, int> _map = new();
    private readonly HashSet<int> _written = new();
    private readonly List<PlanOp> _ops = new();
    private int _graphInput = -1;

    // context of the op being imported, for messages
    private int _opIndex;
    private string _opName = "";

    private Importer(TfliteModel m, bool exact)
    {
        _m = m;
        _exact = exact;
    }

    public static Plan Import(TfliteModel model, bool exactMultipliers)
    {
        return new Importer(model, exactMultipliers).Run();
    }

    private UnsupportedModelException Fail(string what) => _opIndex < 0
        ? GraphFail($"{_opName}: {what}")
        : new($"operator {_opIndex} ({_opName}): {what}") { OperatorIndex = _opIndex };

    private static UnsupportedModelException GraphFail(string what) => new("model: " + what);

    private Plan Run()
    {
        if (_m.Inputs.Count != 1)
        {
            throw GraphFail($"the graph has {_m.Inputs.Count} inputs; exactly one is supported");
        }
        if (_m.Outputs.Count != 1)
        {
            throw GraphFail($"the graph has {_m.Outputs.Count} outputs; exactly one is supported");
        }
        if (_m.Operators.Count == 0)
        {
            throw GraphFail("the graph has no operators");
        }
        _graphInput = _m.Inputs[0];
        var inTensor = _m.Tensors[_graphInput];
        if (inTensor.Type == TensorType.Int8 && !inTensor.IsConstant)
        {
            _opIndex = -1;
            _opName = "graph input";
            Register(_graphInput);
        }

        foreach (var op in _m.Operators)
        {
            _opIndex = op.Index;
            _opName = op.OpName;
            ImportOp(op);
        }

        int output = _m.Outputs[0];
        if (!_map.TryGetValue(_graphInput, out int inIdx))
        {
            throw GraphFail($"graph input tensor {_graphInput} is not an int8 activation read by any op");
        }
        if (!_map.TryGetValue(output, out int outIdx) || !_written.Contains(output))
        {
            throw GraphFail($"graph output tensor {output} is not produced by any supported op");
        }
        if (_tensors.Count > 1024 || _ops.Count > 1024)
        {
            throw GraphFail($"{_tensors.Count} tensors / {_ops.Count} ops exceed the format's limit of 1024");
        }
        return new Plan(_tensors, _ops, inIdx, outIdx);
    }

    private void ImportOp(TfliteOperator op)
    {
        switch ((BuiltinOperator)op.BuiltinCode)
        {
            case BuiltinOperator.Conv2D:
                ImportConv(op, depthwise: false);
                break;
            case BuiltinOperator.DepthwiseConv2D:
                ImportConv(op, depthwise: true);
                break;
            case BuiltinOperator.AveragePool2D:
                ImportAvgPool(op);
                break;
            case BuiltinOperator.Mean:
                ImportMean(op);
                break;
            case BuiltinOperator.FullyConnected:
                ImportFullyConnected(op);
                break;
            case BuiltinOperator.Reshape:
            case BuiltinOperator.Squeeze:
                ImportReshape(op);
                break;
            case BuiltinOperator.Softmax:
                ImportSoftmax(op);
                break;
            case BuiltinOperator.Add:
                ImportAdd(op);
                break;
            case BuiltinOperator.Pad:
            case BuiltinOperator.PadV2:
                ImportPad(op);
                break;
            default:
                throw Fail("unsupported op");
        }
    }

    // ---------------------------------------------------------------- tensors

    private TfliteTensor Tensor(int index, string role)
    {
        if (index < 0 || index >= _m.Tensors.Count)
        {
            throw Fail($"{role} tensor is missing");
        }
        return _m.Tensors[index];
    }

    private static string Shape(int[] s) => "[" + string.Join(",", s) + "]";

    /// <summary>Checks an int8 per-tensor activation and adds it to the table.</summary>
    private int Register(int src)
    {
        if (_map.TryGetValue(src, out int idx))
        {
            return idx;
        }
        var t = _m.Tensors[src];
        string who = $"tensor {src} ({t.Name})";
        if (t.Type != TensorType.Int8)
        {
            throw Fail($"{who} has type {t.Type}; only int8 activations are supported");
        }
        if (t.IsConstant)
        {
            throw Fail($"{who} is a constant where an activation is expected");
        }
        if (t.Scale is not { } scale || t.ZeroPoint is not { } zp)
        {
            throw Fail($"{who} lacks per-tensor quantisation (one scale and one zero point)");
        }
        if (!(scale > 0) || !float.IsFinite(scale))
        {
            throw Fail($"{who} has invalid scale {scale}");
        }
        if (zp < -128 || zp > 127)
        {
            throw Fail($"{who} zero point {zp} outside -128..127");
        }
        if (t.Shape.Length < 1 || t.Shape.Length > 4)
        {
            throw Fail($"{who} has rank {t.Shape.Length}; 1..4 supported");
        }
        foreach (int d in t.Shape)
        {
            if (d < 1 || d > MaxDim)
            {
                throw Fail($"{who} shape {Shape(t.Shape)}: each dimension must be 1..{MaxDim}");
            }
        }
        if (t.ElementCount > MaxElements)
        {
            throw Fail($"{who} has {t.ElementCount} elements; at most {MaxElements}");
        }
        idx = _tensors.Count;
        _tensors.Add(new PlanTensor(src, (int[])t.Shape.Clone(), scale, (int)zp));
        _map[src] = idx;
        return idx;
    }

    private int ActIn(TfliteOperator op, int slot)
    {
        if (slot >= op.Inputs.Length || op.Inputs[slot] < 0)
        {
            throw Fail($"input {slot} is missing");
        }
        int src = op.Inputs[slot];
        var t = _m.Tensors[src];
        if (t.Type != TensorType.Int8)
        {
            throw Fail($"input tensor {src} ({t.Name}) has type {t.Type}; only int8 activations are supported");
        }
        int idx = Register(src);
        if (src != _graphInput && !_written.Contains(src))
        {
            throw Fail($"input tensor {src} ({t.Name}) is neither the graph input nor written by an earlier op");
        }
        return idx;
    }

    private int ActOut(TfliteOperator op)
    {
        if (op.Outputs.Length != 1)
        {
            throw Fail($"has {op.Outputs.Length} outputs; exactly one expected");
        }
        int src = op.Outputs[0];
        var t = _m.Tensors[src];
        if (t.Type != TensorType.Int8)
        {
            throw Fail($"output tensor {src} ({t.Name}) has type {t.Type}; only int8 activations are supported");
        }
        if (src == _graphInput)
        {
            throw Fail("writes the graph input");
        }
        if (!_written.Add(src))
        {
            throw Fail($"output tensor {src} is written by more than one op");
        }
        return Register(src);
    }

    private PlanTensor T(int idx) => _tensors[idx];

    private static int[] As4D(int[] s) => s.Length >= 4 ? s : Enumerable.Repeat(1, 4 - s.Length).Concat(s).ToArray();

    private T Options<T>(TfliteOperator op) where T : BuiltinOptions =>
        op.Options as T ?? throw Fail($"missing or wrong builtin options (expected {typeof(T).Name})");

    private (int Min, int Max) Activation(ActivationFunction f, PlanTensor output)
    {
        if (f is not (ActivationFunction.None or ActivationFunction.Relu or ActivationFunction.Relu6
            or ActivationFunction.ReluN1To1))
        {
            throw Fail($"fused activation {f} is not supported");
        }
        try
        {
            return TflmMath.ActivationRange(f, output.Scale, output.ZeroPoint);
        }
        catch (OverflowException e)
        {
            throw Fail(e.Message);
        }
    }

    private void CheckRange(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw Fail($"{name} {value} outside the supported range {min}..{max}");
        }
    }

    private sbyte[] ConstInt8(TfliteOperator op, int slot, string role, out TfliteTensor t)
    {
        if (slot >= op.Inputs.Length || op.Inputs[slot] < 0)
        {
            throw Fail($"{role} tensor is missing");
        }
        t = Tensor(op.Inputs[slot], role);
        if (t.Type != TensorType.Int8)
        {
            throw Fail($"{role} tensor {t.Index} has type {t.Type}; int8 required");
        }
        if (t.Data is null)
        {
            throw Fail($"{role} tensor {t.Index} is not constant");
        }
        if (t.Data.Length != t.ElementCount)
        {
            throw Fail($"{role} tensor {t.Index} holds {t.Data.Length} bytes for {t.ElementCount} elements");
        }
        return Array.ConvertAll(t.Data, b => (sbyte)b);
    }

    private int[] ConstInt32(TfliteTensor t, string role)
    {
        if (t.Type != TensorType.Int32)
        {
            throw Fail($"{role} tensor {t.Index} has type {t.Type}; int32 required");
        }
        if (t.Data is null)
        {
            throw Fail($"{role} tensor {t.Index} is not constant");
        }
        if (t.Data.Length != t.ElementCount * 4)
        {
            throw Fail($"{role} tensor {t.Index} holds {t.Data.Length} bytes for {t.ElementCount} int32 elements");
        }
        var a = new int[t.Data.Length / 4];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = BinaryPrimitives.ReadInt32LittleEndian(t.Data.AsSpan(4 * i));
        }
        return a;
    }

    private int[] Bias(TfliteOperator op, int channels)
    {
        if (op.Inputs.Length < 3 || op.Inputs[2] < 0)
        {
            return new int[channels];
        }
        var t = Tensor(op.Inputs[2], "bias");
        var b = ConstInt32(t, "bias");
        if (b.Length != channels)
        {
            throw Fail($"bias has {b.Length} elements for {channels} output channels");
        }
        return b;
    }

    /// <summary>Per-channel weight scales (broadcast when per-tensor); checks zero points are 0.</summary>
    private float[] WeightScales(TfliteTensor w, int channels, int quantizedDimension)
    {
        var q = w.Quantization ?? throw Fail($"weights tensor {w.Index} has no quantisation parameters");
        if (q.Scales.Length != 1 && q.Scales.Length != channels)
        {
            throw Fail($"weights tensor {w.Index} has {q.Scales.Length} scales for {channels} channels");
        }
        if (q.Scales.Length > 1 && q.QuantizedDimension != quantizedDimension)
        {
            throw Fail($"weights tensor {w.Index} is quantised along dimension {q.QuantizedDimension}; {quantizedDimension} expected");
        }
        if (q.ZeroPoints.Any(z => z != 0))
        {
            throw Fail($"weights tensor {w.Index} has a non-zero zero point; symmetric int8 weights required");
        }
        foreach (float s in q.Scales)
        {
            if (!(s >= 0) || !float.IsFinite(s))
            {
                throw Fail($"weights tensor {w.Index} has invalid scale {s}");
            }
        }
        return q.Scales.Length == channels ? q.Scales : Enumerable.Repeat(q.Scales[0], channels).ToArray();
    }

    // ---------------------------------------------------------------- quantisation

    /// <summary>
    /// Builds the channel quantisation block. accRanges[c] is the reachable accumulator range of channel c.
    /// </summary>
    private (byte[] Block, int MultBits) BuildQuant(int[] bias, (int M, int S)[] q, (long Lo, long Hi)[] acc,
        PlanTensor output, (int Min, int Max) act)
    {
        int n = bias.Length;
        var mult = new int[n];
        var shift = new int[n];
        int opBits = 1;
        for (int c = 0; c < n; c++)
        {
            shift[c] = q[c].S;
            if (q[c].M == 0)
            {
                continue;
            }
            if (q[c].S < -31 || q[c].S > 30)
            {
                throw Fail($"channel {c} shift {q[c].S} outside -31..30");
            }
            if (_exact)
            {
                mult[c] = q[c].M;
                opBits = 31;
                continue;
            }
            var r = MultiplierMinimizer.Minimize(q[c].M, q[c].S, acc[c].Lo, acc[c].Hi, output.ZeroPoint, act.Min, act.Max);
            mult[c] = r.Multiplier;
            opBits = Math.Max(opBits, r.Bits);
        }
        try
        {
            return (QuantBlock.Encode(bias, mult, shift, opBits), opBits);
        }
        catch (ArgumentException e)
        {
            throw Fail(e.Message);
        }
    }

    private static (long Lo, long Hi) AccTerm(int w, int inputZeroPoint)
    {
        long a = (long)w * (-128 - inputZeroPoint);
        long b = (long)w * (127 - inputZeroPoint);
        return (Math.Min(a, b), Math.Max(a, b));
    }

    // ---------------------------------------------------------------- ops

    private void ImportConv(TfliteOperator op, bool depthwise)
    {
        int inIdx = ActIn(op, 0);
        var w = ConstInt8(op, 1, "filter", out var wt);
        int outIdx = ActOut(op);
        PlanTensor input = T(inIdx), output = T(outIdx);
        if (input.Shape.Length != 4 || output.Shape.Length != 4 || wt.Shape.Length != 4)
        {
            throw Fail($"input {Shape(input.Shape)}, filter {Shape(wt.Shape)} and output {Shape(output.Shape)} must be 4-D");
        }
        int n = input.Shape[0], inH = input.Shape[1], inW = input.Shape[2], inC = input.Shape[3];
        int outH = output.Shape[1], outW = output.Shape[2], outC = output.Shape[3];
        int kh = wt.Shape[1], kw = wt.Shape[2];
        if (output.Shape[0] != n)
        {
            throw Fail("batch of input and output differ");
        }

        Padding padding;
        int strideH, strideW, dilH, dilW, depthMultiplier;
        ActivationFunction actFn;
        if (depthwise)
        {
            var o = Options<DepthwiseConv2DOptions>(op);
            (padding, strideH, strideW, dilH, dilW, actFn) = (o.Padding, o.StrideH, o.StrideW, o.DilationH, o.DilationW, o.Activation);
            if (wt.Shape[0] != 1 || wt.Shape[3] != outC)
            {
                throw Fail($"depthwise filter {Shape(wt.Shape)} does not match output channels {outC}");
            }
            if (outC % inC != 0)
            {
                throw Fail($"output channels {outC} are not a multiple of input channels {inC}");
            }
            depthMultiplier = outC / inC;
            if (o.DepthMultiplier != 0 && o.DepthMultiplier != depthMultiplier)
            {
                throw Fail($"depth_multiplier {o.DepthMultiplier} disagrees with the shapes ({depthMultiplier})");
            }
        }
        else
        {
            var o = Options<Conv2DOptions>(op);
            (padding, strideH, strideW, dilH, dilW, actFn) = (o.Padding, o.StrideH, o.StrideW, o.DilationH, o.DilationW, o.Activation);
            if (wt.Shape[0] != outC || wt.Shape[3] != inC)
            {
                throw Fail($"filter {Shape(wt.Shape)} does not match input channels {inC} / output channels {outC} (grouped convolution is not supported)");
            }
            depthMultiplier = 1;
        }
        if (padding is not (Padding.Same or Padding.Valid))
        {
            throw Fail($"padding {padding} is not supported");
        }
        CheckRange("kernel height", kh, 1, MaxKernel);
        CheckRange("kernel width", kw, 1, MaxKernel);
        CheckRange("stride_h", strideH, 1, MaxStride);
        CheckRange("stride_w", strideW, 1, MaxStride);
        CheckRange("dilation_h", dilH, 1, MaxDilation);
        CheckRange("dilation_w", dilW, 1, MaxDilation);
        CheckRange("depth multiplier", depthMultiplier, 1, 0xFFFF);
        int expH = TflmMath.OutputSize(padding, inH, kh, strideH, dilH);
        int expW = TflmMath.OutputSize(padding, inW, kw, strideW, dilW);
        if (expH != outH || expW != outW)
        {
            throw Fail($"output {outH}x{outW} does not match the {expH}x{expW} that {padding} padding gives");
        }
        int padTop = TflmMath.PaddingBefore(padding, inH, kh, strideH, dilH);
        int padLeft = TflmMath.PaddingBefore(padding, inW, kw, strideW, dilW);
        CheckRange("pad_top", padTop, 0, 255);
        CheckRange("pad_left", padLeft, 0, 255);

        var bias = Bias(op, outC);
        var wScales = WeightScales(wt, outC, depthwise ? 3 : 0);
        var q = new (int, int)[outC];
        for (int c = 0; c < outC; c++)
        {
            double eff = (double)input.Scale * (double)wScales[c] / (double)output.Scale;
            q[c] = TflmMath.QuantizeMultiplier(eff);
        }
        var act = Activation(actFn, output);

        // reachable accumulator range per output channel
        var acc = new (long Lo, long Hi)[outC];
        for (int c = 0; c < outC; c++)
        {
            acc[c] = (bias[c], bias[c]);
        }
        if (depthwise)
        {
            for (int i = 0; i < w.Length; i++)
            {
                var t = AccTerm(w[i], input.ZeroPoint);
                int c = i % outC;
                acc[c] = (acc[c].Lo + t.Lo, acc[c].Hi + t.Hi);
            }
        }
        else
        {
            int per = kh * kw * inC;
            for (int i = 0; i < w.Length; i++)
            {
                var t = AccTerm(w[i], input.ZeroPoint);
                int c = i / per;
                acc[c] = (acc[c].Lo + t.Lo, acc[c].Hi + t.Hi);
            }
        }
        var (block, bits) = BuildQuant(bias, q, acc, output, act);

        var body = new byte[24];
        body[0] = (byte)kh;
        body[1] = (byte)kw;
        body[2] = (byte)strideH;
        body[3] = (byte)strideW;
        body[4] = (byte)dilH;
        body[5] = (byte)dilW;
        body[6] = (byte)padTop;
        body[7] = (byte)padLeft;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(8), (ushort)depthMultiplier);
        body[12] = (byte)(sbyte)act.Min;
        body[13] = (byte)(sbyte)act.Max;
        _ops.Add(new PlanOp
        {
            Code = depthwise ? NnbOpCode.DepthwiseConv2D : NnbOpCode.Conv2D,
            Input0 = inIdx,
            Output = outIdx,
            SourceIndex = op.Index,
            Body = body,
            Weights = Array.ConvertAll(w, v => (byte)v),
            Quant = block,
            WeightsFieldPos = 16,
            QuantFieldPos = 20,
            MultBits = bits,
        });
    }

    private void ImportFullyConnected(TfliteOperator op)
    {
        int inIdx = ActIn(op, 0);
        var w = ConstInt8(op, 1, "weights", out var wt);
        int outIdx = ActOut(op);
        PlanTensor input = T(inIdx), output = T(outIdx);
        var o = Options<FullyConnectedOptions>(op);
        if (o.WeightsFormat != 0)
        {
            throw Fail($"weights_format {o.WeightsFormat} is not supported (DEFAULT only)");
        }
        if (wt.Shape.Length != 2)
        {
            throw Fail($"weights shape {Shape(wt.Shape)} must be 2-D [out, in]");
        }
        int outDepth = output.Shape[^1];
        if (wt.Shape[0] != outDepth)
        {
            throw Fail($"weights {Shape(wt.Shape)} do not match output depth {outDepth}");
        }
        int outElems = output.Shape.Aggregate(1, (a, d) => a * d);
        int inElems = input.Shape.Aggregate(1, (a, d) => a * d);
        int batches = outElems / outDepth;
        int inDepth = wt.Shape[1];
        if (inElems % batches != 0 || inElems / batches != inDepth)
        {
            throw Fail($"input {Shape(input.Shape)} does not give {batches} batches of {inDepth} values");
        }
        CheckRange("output depth", outDepth, 1, 4096);

        var bias = Bias(op, outDepth);
        var qp = wt.Quantization ?? throw Fail("weights have no quantisation parameters");
        bool perChannel = qp.Scales.Length > 1;
        var wScales = WeightScales(wt, outDepth, 0);
        var q = new (int, int)[outDepth];
        for (int c = 0; c < outDepth; c++)
        {
            double eff;
            if (perChannel)
            {
                eff = (double)input.Scale * (double)wScales[c] / (double)output.Scale;
            }
            else
            {
                float product = input.Scale * wScales[c]; // float product first, as GetQuantizedConvolutionMultipler
                eff = (double)product / (double)output.Scale;
            }
            q[c] = TflmMath.QuantizeMultiplier(eff);
        }
        var act = Activation(o.Activation, output);
        var acc = new (long Lo, long Hi)[outDepth];
        for (int c = 0; c < outDepth; c++)
        {
            long lo = bias[c], hi = bias[c];
            for (int i = 0; i < inDepth; i++)
            {
                var t = AccTerm(w[c * inDepth + i], input.ZeroPoint);
                lo += t.Lo;
                hi += t.Hi;
            }
            acc[c] = (lo, hi);
        }
        var (block, bits) = BuildQuant(bias, q, acc, output, act);
        var body = new byte[12];
        body[0] = (byte)(sbyte)act.Min;
        body[1] = (byte)(sbyte)act.Max;
        body[2] = (byte)(perChannel ? 1 : 0);
        _ops.Add(new PlanOp
        {
            Code = NnbOpCode.FullyConnected,
            Input0 = inIdx,
            Output = outIdx,
            SourceIndex = op.Index,
            Body = body,
            Weights = Array.ConvertAll(w, v => (byte)v),
            Quant = block,
            WeightsFieldPos = 4,
            QuantFieldPos = 8,
            MultBits = bits,
        });
    }

    private void ImportAvgPool(TfliteOperator op)
    {
        int inIdx = ActIn(op, 0);
        int outIdx = ActOut(op);
        PlanTensor input = T(inIdx), output = T(outIdx);
        var o = Options<Pool2DOptions>(op);
        if (input.Shape.Length != 4 || output.Shape.Length != 4)
        {
            throw Fail("input and output must be 4-D");
        }
        if (input.Shape[0] != output.Shape[0] || input.Shape[3] != output.Shape[3])
        {
            throw Fail($"input {Shape(input.Shape)} and output {Shape(output.Shape)} differ in batch or channels");
        }
        if (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint)
        {
            throw Fail("input and output quantisation differ (AVERAGE_POOL_2D does not requantise)");
        }
        if (o.Padding is not (Padding.Same or Padding.Valid))
        {
            throw Fail($"padding {o.Padding} is not supported");
        }
        CheckRange("filter_height", o.FilterHeight, 1, 255);
        CheckRange("filter_width", o.FilterWidth, 1, 255);
        CheckRange("stride_h", o.StrideH, 1, 255);
        CheckRange("stride_w", o.StrideW, 1, 255);
        int expH = TflmMath.OutputSize(o.Padding, input.Shape[1], o.FilterHeight, o.StrideH, 1);
        int expW = TflmMath.OutputSize(o.Padding, input.Shape[2], o.FilterWidth, o.StrideW, 1);
        if (expH != output.Shape[1] || expW != output.Shape[2])
        {
            throw Fail($"output {output.Shape[1]}x{output.Shape[2]} does not match the {expH}x{expW} that {o.Padding} padding gives");
        }
        int padTop = TflmMath.PaddingBefore(o.Padding, input.Shape[1], o.FilterHeight, o.StrideH, 1);
        int padLeft = TflmMath.PaddingBefore(o.Padding, input.Shape[2], o.FilterWidth, o.StrideW, 1);
        CheckRange("pad_top", padTop, 0, 255);
        CheckRange("pad_left", padLeft, 0, 255);
        var act = Activation(o.Activation, output);
        var body = new byte[8]
        {
            (byte)o.FilterHeight, (byte)o.FilterWidth, (byte)o.StrideH, (byte)o.StrideW,
            (byte)padTop, (byte)padLeft, (byte)(sbyte)act.Min, (byte)(sbyte)act.Max,
        };
        _ops.Add(new PlanOp { Code = NnbOpCode.AveragePool2D, Input0 = inIdx, Output = outIdx, SourceIndex = op.Index, Body = body });
    }

    private void ImportMean(TfliteOperator op)
    {
        int inIdx = ActIn(op, 0);
        if (op.Inputs.Length < 2 || op.Inputs[1] < 0)
        {
            throw Fail("axis tensor is missing");
        }
        var axisTensor = Tensor(op.Inputs[1], "axis");
        int outIdx = ActOut(op);
        PlanTensor input = T(inIdx), output = T(outIdx);
        if (input.Shape.Length != 4)
        {
            throw Fail($"input {Shape(input.Shape)} must be 4-D");
        }
        var axes = ConstInt32(axisTensor, "axis").Select(a => a < 0 ? a + 4 : a).Distinct().OrderBy(a => a).ToArray();
        if (axes.Length != 2 || axes[0] != 1 || axes[1] != 2)
        {
            throw Fail($"reduces over axes [{string.Join(",", axes)}]; only H and W (1, 2) are supported");
        }
        int outElems = output.Shape.Aggregate(1, (a, d) => a * d);
        if (outElems != input.Shape[0] * input.Shape[3] || output.Shape[^1] != input.Shape[3])
        {
            throw Fail($"output {Shape(output.Shape)} does not hold N*C values of input {Shape(input.Shape)}");
        }
        // As the kernel's header comment (nn_mean_hw_s8.c) and TFLM's reduce Prepare: scales widened to double.
        var (m, s) = TflmMath.QuantizeMultiplier((double)input.Scale / (double)output.Scale);
        var body = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(body, m);
        body[4] = (byte)(sbyte)s;
        _ops.Add(new PlanOp { Code = NnbOpCode.Mean, Input0 = inIdx, Output = outIdx, SourceIndex = op.Index, Body = body });
    }

    private void ImportReshape(TfliteOperator op)
    {
        int inIdx = ActIn(op, 0);
        int outIdx = ActOut(op);
        PlanTensor input = T(inIdx), output = T(outIdx);
        long a = input.Shape.Aggregate(1L, (x, d) => x * d), b = output.Shape.Aggregate(1L, (x, d) => x * d);
        if (a != b)
        {
            throw Fail($"input {Shape(input.Shape)} and output {Shape(output.Shape)} differ in element count");
        }
        if (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint)
        {
            throw Fail("input and output quantisation differ; a reshape copies bytes unchanged");
        }
        _ops.Add(new PlanOp { Code = NnbOpCode.Reshape, Input0 = inIdx, Output = outIdx, SourceIndex = op.Index, Body = [] });
    }

    private void ImportSoftmax(TfliteOperator op)
    {
        int inIdx = ActIn(op, 0);
        int outIdx = ActOut(op);
        PlanTensor input = T(inIdx), output = T(outIdx);
        var o = Options<SoftmaxOptions>(op);
        if (!input.Shape.SequenceEqual(output.Shape))
        {
            throw Fail($"input {Shape(input.Shape)} and output {Shape(output.Shape)} differ");
        }
        if (output.ZeroPoint != -128 || Math.Abs(output.Scale - 1f / 256) > 0.001f * 1f / 256)
        {
            throw Fail($"output quantisation (scale {output.Scale}, zero point {output.ZeroPoint}) must be 1/256, -128");
        }
        if (!(o.Beta > 0) || !float.IsFinite(o.Beta))
        {
            throw Fail($"beta {o.Beta} is not supported");
        }
        const int scaledDiffIntegerBits = 5;
        int mult, leftShift;
        try
        {
            (mult, leftShift) = TflmMath.PreprocessSoftmaxScaling(o.Beta, input.Scale, scaledDiffIntegerBits);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Fail(e.Message);
        }
        int diffMin = -TflmMath.CalculateInputRadius(scaledDiffIntegerBits, leftShift);
        var body = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(0), mult);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), leftShift);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(8), diffMin);
        _ops.Add(new PlanOp { Code = NnbOpCode.Softmax, Input0 = inIdx, Output = outIdx, SourceIndex = op.Index, Body = body });
    }

    private void ImportAdd(TfliteOperator op)
    {
        int in1 = ActIn(op, 0);
        int in2 = ActIn(op, 1);
        int outIdx = ActOut(op);
        PlanTensor a = T(in1), b = T(in2), output = T(outIdx);
        // The engine's reader requires the NHWC views of both inputs and the output to be equal; equal shapes
        // (same rank, same dimensions) are required here, so no model the engine would refuse is written.
        if (!a.Shape.SequenceEqual(b.Shape))
        {
            throw Fail($"input shapes {Shape(a.Shape)} and {Shape(b.Shape)} differ; ADD needs equal shapes (broadcast is not supported)");
        }
        if (!a.Shape.SequenceEqual(output.Shape))
        {
            throw Fail($"output shape {Shape(output.Shape)} differs from the input shape {Shape(a.Shape)}; ADD needs equal shapes");
        }
        var o = Options<AddOptions>(op);
        const int leftShift = 20;
        double twiceMax = 2 * (double)Math.Max(a.Scale, b.Scale);
        double r1 = (double)a.Scale / twiceMax;
        double r2 = (double)b.Scale / twiceMax;
        double rOut = twiceMax / ((1 << leftShift) * (double)output.Scale);
        (int m1, int s1) = TflmMath.QuantizeMultiplierSmallerThanOneExp(r1);
        (int m2, int s2) = TflmMath.QuantizeMultiplierSmallerThanOneExp(r2);
        (int mo, int so) = TflmMath.QuantizeMultiplierSmallerThanOneExp(rOut);
        var act = Activation(o.Activation, output);
        var body = new byte[32];
        var sp = body.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(sp[0..], leftShift);
        BinaryPrimitives.WriteInt32LittleEndian(sp[4..], m1);
        BinaryPrimitives.WriteInt32LittleEndian(sp[8..], s1);
        BinaryPrimitives.WriteInt32LittleEndian(sp[12..], m2);
        BinaryPrimitives.WriteInt32LittleEndian(sp[16..], s2);
        BinaryPrimitives.WriteInt32LittleEndian(sp[20..], mo);
        BinaryPrimitives.WriteInt32LittleEndian(sp[24..], so);
        body[28] = (byte)(sbyte)act.Min;
        body[29] = (byte)(sbyte)act.Max;
        _ops.Add(new PlanOp { Code = NnbOpCode.Add, Input0 = in1, Input1 = in2, Output = outIdx, SourceIndex = op.Index, Body = body });
    }

    private void ImportPad(TfliteOperator op)
    {
        int inIdx = ActIn(op, 0);
        if (op.Inputs.Length < 2 || op.Inputs[1] < 0)
        {
            throw Fail("paddings tensor is missing");
        }
        var padT = Tensor(op.Inputs[1], "paddings");
        int outIdx = ActOut(op);
        PlanTensor input = T(inIdx), output = T(outIdx);
        if (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint)
        {
            throw Fail("input and output quantisation differ");
        }
        int rank = input.Shape.Length;
        int[] pads;
        if (padT.Type == TensorType.Int64 && padT.Data is { } d64 && d64.Length == padT.ElementCount * 8)
        {
            pads = Enumerable.Range(0, d64.Length / 8)
                .Select(i => (int)Math.Clamp(BinaryPrimitives.ReadInt64LittleEndian(d64.AsSpan(8 * i)), int.MinValue, int.MaxValue))
                .ToArray();
        }
        else
        {
            pads = ConstInt32(padT, "paddings");
        }
        if (pads.Length != rank * 2 || output.Shape.Length != rank)
        {
            throw Fail($"paddings of {pads.Length} values do not match input rank {rank}");
        }
        if (op.BuiltinCode == (int)BuiltinOperator.PadV2 && op.Inputs.Length >= 3 && op.Inputs[2] >= 0)
        {
            var cv = Tensor(op.Inputs[2], "constant_values");
            if (cv.Type != TensorType.Int8 || cv.Data is not { Length: 1 } cvd || (sbyte)cvd[0] != output.ZeroPoint)
            {
                throw Fail("constant_values must be an int8 scalar equal to the output zero point");
            }
        }
        var before = new int[4];
        var after = new int[4];
        int shift = 4 - rank;
        for (int i = 0; i < rank; i++)
        {
            before[shift + i] = pads[2 * i];
            after[shift + i] = pads[2 * i + 1];
            CheckRange($"padding before dimension {i}", pads[2 * i], 0, 0xFFFF);
            CheckRange($"padding after dimension {i}", pads[2 * i + 1], 0, 0xFFFF);
            if ((long)input.Shape[i] + pads[2 * i] + pads[2 * i + 1] != output.Shape[i])
            {
                throw Fail($"input {Shape(input.Shape)} padded by the paddings does not give output {Shape(output.Shape)}");
            }
        }
        var body = new byte[16];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2 * i), (ushort)before[i]);
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(8 + 2 * i), (ushort)after[i]);
        }
        _ops.Add(new PlanOp { Code = NnbOpCode.Pad, Input0 = inIdx, Output = outIdx, SourceIndex = op.Index, Body = body });
    }
}
