using Google.FlatBuffers;

namespace Nanonet.Tflite;

/// <summary>Affine quantisation parameters of a tensor.</summary>
/// <param name="Scales">Scale per channel (one entry for per-tensor quantisation).</param>
/// <param name="ZeroPoints">Zero point per channel.</param>
/// <param name="QuantizedDimension">The channel dimension for per-channel quantisation.</param>
public sealed record QuantizationParameters(float[] Scales, long[] ZeroPoints, int QuantizedDimension);

/// <summary>A tensor of the first subgraph.</summary>
/// <param name="Index">Index in the subgraph's tensor list.</param>
/// <param name="Name">Tensor name ("" when absent).</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="Type">Element type.</param>
/// <param name="BufferIndex">Index into the model's buffers (0 = no data).</param>
/// <param name="Data">Constant data, or null when the buffer is empty (activations).</param>
/// <param name="Quantization">Quantisation parameters, or null when absent.</param>
/// <param name="IsVariable">The is_variable flag.</param>
public sealed record TfliteTensor(int Index, string Name, int[] Shape, TensorType Type, int BufferIndex,
    byte[]? Data, QuantizationParameters? Quantization, bool IsVariable)
{
    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>True when the tensor holds constant data.</summary>
    public bool IsConstant => Data is { Length: > 0 };

    /// <summary>The single per-tensor scale, or null when there is not exactly one.</summary>
    public float? Scale => Quantization is { Scales.Length: 1 } q ? q.Scales[0] : null;

    /// <summary>The single per-tensor zero point, or null when there is not exactly one.</summary>
    public long? ZeroPoint => Quantization is { ZeroPoints.Length: 1 } q ? q.ZeroPoints[0] : null;
}

/// <summary>An operator code entry of the model.</summary>
/// <param name="BuiltinCode">max(deprecated_builtin_code, builtin_code).</param>
/// <param name="CustomCode">The custom op name, or null.</param>
/// <param name="Version">Op version.</param>
public sealed record TfliteOperatorCode(int BuiltinCode, string? CustomCode, int Version);

/// <summary>An operator of the first subgraph, in execution order.</summary>
/// <param name="Index">Position in the subgraph's operator list.</param>
/// <param name="OpcodeIndex">Index into <see cref="TfliteModel.OperatorCodes"/>.</param>
/// <param name="BuiltinCode">The builtin operator code (see <see cref="BuiltinOperator"/>).</param>
/// <param name="Inputs">Input tensor indices; -1 marks an absent optional input.</param>
/// <param name="Outputs">Output tensor indices.</param>
/// <param name="OptionsType">The BuiltinOptions union type id (0 = none).</param>
/// <param name="Options">Decoded options, or null when absent.</param>
public sealed record TfliteOperator(int Index, int OpcodeIndex, int BuiltinCode, int[] Inputs, int[] Outputs,
    int OptionsType, BuiltinOptions? Options)
{
    /// <summary>The schema name of the builtin code, for example "CONV_2D".</summary>
    public string OpName => BuiltinOperatorNames.Name(BuiltinCode);
}

/// <summary>A parsed TFLite model (schema v3): the first subgraph, fully decoded and validated.</summary>
public sealed class TfliteModel
{
    private TfliteModel(int version, string? description, IReadOnlyList<TfliteOperatorCode> codes,
        IReadOnlyList<TfliteTensor> tensors, IReadOnlyList<int> inputs, IReadOnlyList<int> outputs,
        IReadOnlyList<TfliteOperator> ops, int subgraphCount)
    {
        Version = version;
        Description = description;
        OperatorCodes = codes;
        Tensors = tensors;
        Inputs = inputs;
        Outputs = outputs;
        Operators = ops;
        SubgraphCount = subgraphCount;
    }

    /// <summary>Schema version of the file (3).</summary>
    public int Version { get; }

    /// <summary>The description string, or null.</summary>
    public string? Description { get; }

    /// <summary>Operator codes as stored (duplicates and unused entries allowed).</summary>
    public IReadOnlyList<TfliteOperatorCode> OperatorCodes { get; }

    /// <summary>Tensors of the first subgraph.</summary>
    public IReadOnlyList<TfliteTensor> Tensors { get; }

    /// <summary>Input tensor indices of the first subgraph.</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>Output tensor indices of the first subgraph.</summary>
    public IReadOnlyList<int> Outputs { get; }

    /// <summary>Operators of the first subgraph in execution order.</summary>
    public IReadOnlyList<TfliteOperator> Operators { get; }

    /// <summary>Number of subgraphs in the file (only the first is decoded).</summary>
    public int SubgraphCount { get; }

    /// <summary>
    /// A copy of this model with its tensor list replaced (same operators, inputs and outputs): how the
    /// quantiser turns a float graph into an int8 one for the packer. Tensor indices must be kept.
    /// </summary>
    /// <param name="tensors">One tensor per index of <see cref="Tensors"/>, in the same order.</param>
    /// <returns>The new model.</returns>
    public TfliteModel WithTensors(IReadOnlyList<TfliteTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count != Tensors.Count)
        {
            throw new ArgumentException($"{tensors.Count} tensors given for a model of {Tensors.Count}", nameof(tensors));
        }
        for (int i = 0; i < tensors.Count; i++)
        {
            if (tensors[i] is null || tensors[i].Index != i)
            {
                throw new ArgumentException($"tensor {i} is missing or has index {tensors[i]?.Index}", nameof(tensors));
            }
        }
        return new TfliteModel(Version, Description, OperatorCodes, tensors, Inputs, Outputs, Operators, SubgraphCount);
    }

    /// <summary>
    /// Parses a .tflite flatbuffer. Throws <see cref="TfliteFormatException"/> for any malformed input
    /// (wrong identifier, offsets outside the buffer, out-of-range indices).
    /// </summary>
    /// <param name="data">The whole file.</param>
    public static TfliteModel Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < 8)
        {
            throw new TfliteFormatException($"not a TFLite file: {data.Length} bytes is too short for a flatbuffer header");
        }
        try
        {
            var r = new FlatReader(data);
            if (!Table.__has_identifier(r.Buffer, "TFL3"))
            {
                throw new TfliteFormatException("not a TFLite file: file identifier at bytes 4..7 is not \"TFL3\"");
            }
            return ParseModel(r, data);
        }
        catch (TfliteFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException
                                      or InvalidOperationException or NullReferenceException)
        {
            throw new TfliteFormatException("malformed TFLite flatbuffer: " + e.Message, e);
        }
    }

    private static TfliteModel ParseModel(FlatReader r, byte[] data)
    {
        FlatTable model = r.Root("Model");
        int version = (int)model.Uint(0, "version");
        string? description = model.String(3, "description");

        FlatTable[] codeTables = model.Tables(1, "operator_codes") ?? [];
        var codes = new TfliteOperatorCode[codeTables.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            FlatTable c = codeTables[i];
            int deprecated = c.Sbyte(0, "deprecated_builtin_code");
            int builtin = c.Int(3, "builtin_code");
            codes[i] = new TfliteOperatorCode(Math.Max(deprecated, builtin), c.String(1, "custom_code"),
                c.Int(2, "version", 1));
        }

        FlatTable[] buffers = model.Tables(4, "buffers") ?? [];
        FlatTable[] subgraphs = model.Tables(2, "subgraphs") ?? [];
        if (subgraphs.Length == 0)
        {
            throw new TfliteFormatException("model has no subgraph");
        }
        FlatTable sg = subgraphs[0];

        FlatTable[] tensorTables = sg.Tables(0, "tensors") ?? [];
        var tensors = new TfliteTensor[tensorTables.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            tensors[i] = ParseTensor(i, tensorTables[i], buffers, data);
        }

        int[] inputs = sg.Ints(1, "inputs") ?? [];
        int[] outputs = sg.Ints(2, "outputs") ?? [];
        foreach (int t in inputs.Concat(outputs))
        {
            if (t < 0 || t >= tensors.Length)
            {
                throw new TfliteFormatException($"subgraph input/output tensor index {t} out of range (0..{tensors.Length - 1})");
            }
        }

        FlatTable[] opTables = sg.Tables(3, "operators") ?? [];
        var ops = new TfliteOperator[opTables.Length];
        for (int i = 0; i < ops.Length; i++)
        {
            FlatTable o = opTables[i];
            int opcodeIndex = (int)o.Uint(0, "opcode_index");
            if (opcodeIndex < 0 || opcodeIndex >= codes.Length)
            {
                throw new TfliteFormatException($"operator {i}: opcode_index {opcodeIndex} out of range (0..{codes.Length - 1})");
            }
            int[] oin = o.Ints(1, "inputs") ?? [];
            int[] oout = o.Ints(2, "outputs") ?? [];
            foreach (int t in oin)
            {
                if (t < -1 || t >= tensors.Length)
                {
                    throw new TfliteFormatException($"operator {i}: input tensor index {t} out of range");
                }
            }
            foreach (int t in oout)
            {
                if (t < 0 || t >= tensors.Length)
                {
                    throw new TfliteFormatException($"operator {i}: output tensor index {t} out of range");
                }
            }
            int optionsType = o.Byte(3, "builtin_options_type");
            FlatTable? optTable = o.Table(4, "builtin_options");
            BuiltinOptions? options = optTable is { } ot ? ParseOptions(optionsType, ot) : null;
            ops[i] = new TfliteOperator(i, opcodeIndex, codes[opcodeIndex].BuiltinCode, oin, oout, optionsType, options);
        }

        return new TfliteModel(version, description, codes, tensors, inputs, outputs, ops, subgraphs.Length);
    }

    private static TfliteTensor ParseTensor(int index, FlatTable t, FlatTable[] buffers, byte[] data)
    {
        int[] shape = t.Ints(0, "shape") ?? [];
        foreach (int d in shape)
        {
            if (d < -1)
            {
                throw new TfliteFormatException($"tensor {index}: invalid dimension {d}");
            }
        }
        var type = (TensorType)t.Sbyte(1, "type");
        int bufferIndex = (int)t.Uint(2, "buffer");
        string name = t.String(3, "name") ?? "";
        byte[]? bytes = null;
        if (bufferIndex != 0 || buffers.Length > 0)
        {
            if (bufferIndex < 0 || bufferIndex >= buffers.Length)
            {
                throw new TfliteFormatException($"tensor {index} ({name}): buffer index {bufferIndex} out of range (0..{buffers.Length - 1})");
            }
            FlatTable b = buffers[bufferIndex];
            bytes = b.Bytes(0, "data");
            ulong offset = b.Ulong(1, "offset");
            ulong size = b.Ulong(2, "size");
            if ((bytes == null || bytes.Length == 0) && offset > 1)
            {
                if (offset > (ulong)data.Length || size > (ulong)data.Length - offset)
                {
                    throw new TfliteFormatException($"tensor {index} ({name}): external buffer [{offset}, +{size}) outside the {data.Length}-byte file");
                }
                bytes = data.AsSpan((int)offset, (int)size).ToArray();
            }
            if (bytes is { Length: 0 })
            {
                bytes = null;
            }
        }

        QuantizationParameters? quant = null;
        if (t.Table(4, "quantization") is { } q)
        {
            float[] scales = q.Floats(2, "scale") ?? [];
            long[] zps = q.Longs(3, "zero_point") ?? [];
            int qdim = q.Int(6, "quantized_dimension");
            if (scales.Length > 0 || zps.Length > 0)
            {
                quant = new QuantizationParameters(scales, zps, qdim);
            }
        }
        return new TfliteTensor(index, name, shape, type, bufferIndex, bytes, quant, t.Bool(5, "is_variable"));
    }

    private static BuiltinOptions ParseOptions(int type, FlatTable o)
    {
        switch (type)
        {
            case 1:
                return new Conv2DOptions((Padding)o.Sbyte(0, "padding"), o.Int(1, "stride_w"), o.Int(2, "stride_h"),
                    (ActivationFunction)o.Sbyte(3, "fused_activation_function"),
                    o.Int(4, "dilation_w_factor", 1), o.Int(5, "dilation_h_factor", 1));
            case 2:
                return new DepthwiseConv2DOptions((Padding)o.Sbyte(0, "padding"), o.Int(1, "stride_w"),
                    o.Int(2, "stride_h"), o.Int(3, "depth_multiplier"),
                    (ActivationFunction)o.Sbyte(4, "fused_activation_function"),
                    o.Int(5, "dilation_w_factor", 1), o.Int(6, "dilation_h_factor", 1));
            case 5:
                return new Pool2DOptions((Padding)o.Sbyte(0, "padding"), o.Int(1, "stride_w"), o.Int(2, "stride_h"),
                    o.Int(3, "filter_width"), o.Int(4, "filter_height"),
                    (ActivationFunction)o.Sbyte(5, "fused_activation_function"));
            case 8:
                return new FullyConnectedOptions((ActivationFunction)o.Sbyte(0, "fused_activation_function"),
                    o.Sbyte(1, "weights_format"), o.Bool(2, "keep_num_dims"));
            case 9:
                return new SoftmaxOptions(o.Float(0, "beta"));
            case 11:
                return new AddOptions((ActivationFunction)o.Sbyte(0, "fused_activation_function"));
            case 17:
                return new ReshapeOptions(o.Ints(0, "new_shape"));
            case 22:
                return new PadOptions();
            case 27:
                return new ReducerOptions(o.Bool(0, "keep_dims"));
            default:
                return new OtherOptions(type);
        }
    }
}
