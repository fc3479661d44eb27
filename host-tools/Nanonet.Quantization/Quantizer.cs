using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nanonet.Native;
using Nanonet.Packing;
using Nanonet.Tflite;

namespace Nanonet.Quantization;

/// <summary>Options of <see cref="Quantizer.Quantize"/>.</summary>
public sealed record QuantizeOptions
{
    /// <summary>How activation ranges are chosen (default min/max, as TFLite's converter).</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>Upper percentile of the percentile method (the lower one is 100 minus it).</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>
    /// Quantisation of the graph input. The default (scale 1/255, zero point -128) with the packed pixel table
    /// q = pixel - 128 means real input = pixel / 255, the convention of the MLPerf Tiny models.
    /// </summary>
    public QuantParams Input { get; init; } = FloatInput.DefaultParams;

    /// <summary>Class labels stored in the packed model, or null.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Store TFLM's full 31-bit multipliers instead of the packer's proven-equivalent shorter ones.</summary>
    public bool ExactMultipliers { get; init; }

    /// <summary>Progress callback: stage name, samples done, samples in the stage.</summary>
    public Action<string, int, int>? Progress { get; init; }
}

/// <summary>One row of the quantisation summary: an op's output tensor.</summary>
/// <param name="OpIndex">TFLite operator index.</param>
/// <param name="Op">Operator name.</param>
/// <param name="Tensor">TFLite index of the output tensor.</param>
/// <param name="TensorName">Its name.</param>
/// <param name="ObservedMin">Smallest float value seen on the calibration set.</param>
/// <param name="ObservedMax">Largest float value seen on the calibration set.</param>
/// <param name="Scale">Chosen scale.</param>
/// <param name="ZeroPoint">Chosen zero point.</param>
/// <param name="Origin">How the parameters were chosen: the method name, "input" (shared with the op's input) or "fixed" (softmax).</param>
/// <param name="Rmse">Root mean square error of the dequantised int8 output (C engine, whole int8 graph) against float.</param>
/// <param name="MaxAbsError">Largest absolute error.</param>
/// <param name="SqnrDb">Signal to quantisation noise ratio in dB: 10 log10(sum f^2 / sum (q - f)^2).</param>
public sealed record LayerReport(int OpIndex, string Op, int Tensor, string TensorName, float ObservedMin, float ObservedMax,
    float Scale, int ZeroPoint, string Origin, double Rmse, double MaxAbsError, double SqnrDb);

/// <summary>The result of <see cref="Quantizer.Quantize"/>.</summary>
/// <param name="Packed">The packed int8 model (.nnb).</param>
/// <param name="QuantizedModel">The int8 TFLite graph that was packed.</param>
/// <param name="Layers">One row per op, in execution order.</param>
/// <param name="Method">The calibration method.</param>
/// <param name="Samples">Number of calibration samples.</param>
/// <param name="Top1Agreement">Calibration samples on which the int8 and float models' top-1 classes agree.</param>
public sealed record QuantizationResult(byte[] Packed, TfliteModel QuantizedModel, IReadOnlyList<LayerReport> Layers,
    CalibrationMethod Method, int Samples, int Top1Agreement)
{
    /// <summary>The report as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("method", Method.ToString().ToLowerInvariant());
            json.WriteNumber("samples", Samples);
            json.WriteNumber("top1Agreement", Top1Agreement);
            json.WriteNumber("top1AgreementRate", Samples == 0 ? 0 : (double)Top1Agreement / Samples);
            json.WriteNumber("modelBytes", Packed.Length);
            json.WriteStartArray("layers");
            foreach (var l in Layers)
            {
                json.WriteStartObject();
                json.WriteNumber("op", l.OpIndex);
                json.WriteString("type", l.Op);
                json.WriteNumber("tensor", l.Tensor);
                json.WriteString("name", l.TensorName);
                json.WriteNumber("observedMin", l.ObservedMin);
                json.WriteNumber("observedMax", l.ObservedMax);
                json.WriteNumber("scale", l.Scale);
                json.WriteNumber("zeroPoint", l.ZeroPoint);
                json.WriteString("origin", l.Origin);
                json.WriteNumber("rmse", l.Rmse);
                json.WriteNumber("maxAbsError", l.MaxAbsError);
                if (double.IsFinite(l.SqnrDb))
                {
                    json.WriteNumber("sqnrDb", l.SqnrDb);
                }
                else
                {
                    json.WriteNull("sqnrDb");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>
/// Post-training quantisation of a float32 TFLite graph to int8, following TFLite's converter conventions:
/// weights symmetric per output channel (scale = max|w| / 127, zero point 0, codes -127..127), biases int32 with
/// scale input_scale * weight_scale[c]; activations asymmetric per tensor from calibration statistics
/// (<see cref="QuantParams.FromRange"/>); average pool, reshape and pad outputs share their input's parameters;
/// softmax output 1/256, -128. Fused RELU / RELU6 become the packer's clamps. The int8 graph goes through
/// <see cref="Packer.PackModel"/>, the same importer and writer as <c>nanonet pack</c>.
/// </summary>
public static class Quantizer
{
    /// <summary>
    /// Largest |bias code|: when a bias would need more (a channel whose weights are all ~0), the channel's weight
    /// scale is raised so that the bias code is 2^30, as TFLite's converter does.
    /// </summary>
    public const double MaxBiasCode = 1 << 30;

    /// <summary>Quantises a float model with calibration inputs.</summary>
    /// <param name="model">The float32 model.</param>
    /// <param name="calibration">Calibration inputs as int8 codes of the graph input (real = (q - zp) * scale
    /// with <see cref="QuantizeOptions.Input"/>): what the int8 engine is fed for the same pictures.</param>
    /// <param name="options">Options.</param>
    /// <returns>The packed model and the report.</returns>
    /// <exception cref="UnsupportedModelException">The model uses an op or option that cannot be quantised or packed.</exception>
    public static QuantizationResult Quantize(TfliteModel model, IReadOnlyList<sbyte[]> calibration, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(options);
        if (calibration.Count == 0)
        {
            throw new ArgumentException("no calibration samples", nameof(calibration));
        }
        var fm = FloatModel.Create(model);
        foreach (var s in calibration)
        {
            if (s.Length != fm.InputSize)
            {
                throw new ArgumentException($"a calibration sample has {s.Length} values; the model's input has {fm.InputSize}", nameof(calibration));
            }
        }
        var inputs = calibration.Select(s => FloatInput.Dequantize(s, options.Input)).ToArray();

        // statistics of every op output
        var stats = new Dictionary<int, TensorStatistics>();
        foreach (int t in fm.OpOutputs)
        {
            stats[t] = new TensorStatistics();
        }
        bool histogram = options.Method != CalibrationMethod.MinMax;
        int n = inputs.Length;
        for (int i = 0; i < n; i++)
        {
            var all = fm.RunAll(inputs[i]);
            foreach (var (t, st) in stats)
            {
                st.Observe(all[t]);
            }
            options.Progress?.Invoke("calibrating", i + 1, n);
        }
        if (histogram)
        {
            for (int i = 0; i < n; i++)
            {
                var all = fm.RunAll(inputs[i]);
                foreach (var (t, st) in stats)
                {
                    st.Accumulate(all[t]);
                }
                options.Progress?.Invoke("histograms", i + 1, n);
            }
        }

        var (quantModel, actParams, origins) = BuildQuantizedModel(model, fm, stats, options);
        byte[] packed = Packer.PackModel(quantModel, new PackOptions
        {
            Labels = options.Labels,
            PixelMapping = PixelMapping.Offset128,
            ExactMultipliers = options.ExactMultipliers,
        });

        // error of the int8 graph against float, tensor by tensor
        var nnb = NnbFile.Parse(packed);
        var sumErr = new Dictionary<int, double>();
        var sumRef = new Dictionary<int, double>();
        var maxErr = new Dictionary<int, double>();
        var count = new Dictionary<int, long>();
        int agree = 0;
        for (int i = 0; i < n; i++)
        {
            var fl = fm.RunAll(inputs[i]);
            var out8 = NanonetEngine.Run(packed, calibration[i], (op, ti, data) =>
            {
                int src = nnb.Tensors[ti].SourceIndex;
                if (src < 0 || src >= fl.Length || fl[src] is not { } f || !actParams.TryGetValue(src, out var p))
                {
                    return;
                }
                double se = 0, sr = 0, mx = 0;
                for (int k = 0; k < data.Length; k++)
                {
                    double d = p.Dequantize(data[k]) - (double)f[k];
                    se += d * d;
                    sr += (double)f[k] * f[k];
                    mx = Math.Max(mx, Math.Abs(d));
                }
                sumErr[src] = sumErr.GetValueOrDefault(src) + se;
                sumRef[src] = sumRef.GetValueOrDefault(src) + sr;
                maxErr[src] = Math.Max(maxErr.GetValueOrDefault(src), mx);
                count[src] = count.GetValueOrDefault(src) + data.Length;
            });
            if (Evaluator.ArgMax(fl[fm.OutputTensor]!) == Evaluator.ArgMax(out8))
            {
                agree++;
            }
            options.Progress?.Invoke("measuring int8 error", i + 1, n);
        }

        var layers = new List<LayerReport>();
        foreach (var op in model.Operators)
        {
            int t = op.Outputs[0];
            var p = actParams[t];
            var st = stats[t];
            long c = count.GetValueOrDefault(t);
            double se = sumErr.GetValueOrDefault(t), sr = sumRef.GetValueOrDefault(t);
            layers.Add(new LayerReport(op.Index, op.OpName, t, model.Tensors[t].Name, st.Min, st.Max, p.Scale, p.ZeroPoint,
                origins[t], c == 0 ? double.NaN : Math.Sqrt(se / c), maxErr.GetValueOrDefault(t, double.NaN),
                se == 0 ? double.PositiveInfinity : 10 * Math.Log10(sr / se)));
        }
        return new QuantizationResult(packed, quantModel, layers, options.Method, n, agree);
    }

    private static (TfliteModel, Dictionary<int, QuantParams>, Dictionary<int, string>) BuildQuantizedModel(
        TfliteModel model, FloatModel fm, Dictionary<int, TensorStatistics> stats, QuantizeOptions options)
    {
        var p = new Dictionary<int, QuantParams> { [fm.InputTensor] = options.Input };
        var origins = new Dictionary<int, string>();
        string method = options.Method.ToString().ToLowerInvariant();
        var tensors = model.Tensors.ToArray();
        var biasInputScale = new Dictionary<int, float>();
        foreach (var op in model.Operators)
        {
            int output = op.Outputs[0];
            int input = op.Inputs[0];
            switch ((BuiltinOperator)op.BuiltinCode)
            {
                case BuiltinOperator.AveragePool2D:
                case BuiltinOperator.Reshape:
                case BuiltinOperator.Squeeze:
                case BuiltinOperator.Pad:
                case BuiltinOperator.PadV2:
                    p[output] = p[input];
                    origins[output] = "input";
                    break;
                case BuiltinOperator.Softmax:
                    p[output] = new QuantParams(1f / 256f, -128);
                    origins[output] = "fixed";
                    break;
                default:
                    var (lo, hi) = stats[output].Range(options.Method, options.Percentile);
                    if (!float.IsFinite(lo) || !float.IsFinite(hi))
                    {
                        throw new UnsupportedModelException(
                            string.Create(CultureInfo.InvariantCulture,
                                $"operator {op.Index} ({op.OpName}): its output range on the calibration pictures is [{lo}, {hi}]; the float model overflows or produces NaN"))
                        { OperatorIndex = op.Index };
                    }
                    p[output] = QuantParams.FromRange(lo, hi);
                    origins[output] = method;
                    break;
            }
            if (op.BuiltinCode is (int)BuiltinOperator.Conv2D or (int)BuiltinOperator.DepthwiseConv2D or (int)BuiltinOperator.FullyConnected)
            {
                QuantizeParameters(op, fm, tensors, p[input].Scale, biasInputScale);
            }
            if (op.BuiltinCode == (int)BuiltinOperator.PadV2 && op.Inputs.Length >= 3 && op.Inputs[2] >= 0)
            {
                // the float engine only accepts a zero constant: it becomes the output zero point
                tensors[op.Inputs[2]] = tensors[op.Inputs[2]] with
                {
                    Type = TensorType.Int8,
                    Data = [(byte)(sbyte)p[output].ZeroPoint],
                    Quantization = new QuantizationParameters([p[output].Scale], [p[output].ZeroPoint], 0),
                };
            }
        }
        foreach (var (t, q) in p)
        {
            tensors[t] = tensors[t] with
            {
                Type = TensorType.Int8,
                Data = null,
                Quantization = new QuantizationParameters([q.Scale], [q.ZeroPoint], 0),
            };
        }
        return (model.WithTensors(tensors), p, origins);
    }

    private static void QuantizeParameters(TfliteOperator op, FloatModel fm, TfliteTensor[] tensors, float inputScale,
        Dictionary<int, float> done)
    {
        int w = op.Inputs[1];
        int b = op.Inputs.Length >= 3 ? op.Inputs[2] : -1;
        var wt = tensors[w];
        int dim = op.BuiltinCode == (int)BuiltinOperator.DepthwiseConv2D ? 3 : 0;
        if (done.TryGetValue(w, out float s0) || (b >= 0 && done.TryGetValue(b, out s0)))
        {
            if (s0 != inputScale)
            {
                throw new UnsupportedModelException(
                    $"operator {op.Index} ({op.OpName}): its weights or bias are shared with an op whose input has another scale")
                { OperatorIndex = op.Index };
            }
            return;
        }
        var weights = fm.Constant(w)!;
        var bias = b >= 0 ? fm.Constant(b) : null;
        var scales = WeightScales(weights, wt.Shape, dim, bias, inputScale);
        var q = QuantizeWeights(weights, wt.Shape, dim, scales);
        tensors[w] = wt with
        {
            Type = TensorType.Int8,
            Data = Array.ConvertAll(q, v => (byte)v),
            Quantization = new QuantizationParameters(scales, new long[scales.Length], dim),
        };
        done[w] = inputScale;
        if (bias is not null)
        {
            var qb = QuantizeBias(bias, inputScale, scales);
            var data = new byte[qb.Length * 4];
            for (int i = 0; i < qb.Length; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4 * i), qb[i]);
            }
            tensors[b] = tensors[b] with
            {
                Type = TensorType.Int32,
                Data = data,
                Quantization = new QuantizationParameters(scales.Select(s => inputScale * s).ToArray(), new long[scales.Length], 0),
            };
            done[b] = inputScale;
        }
    }

    private static (int Channels, int Inner) Layout(int[] shape, int channelDim, int length)
    {
        if (channelDim < 0)
        {
            return (1, length);
        }
        if (channelDim >= shape.Length)
        {
            throw new ArgumentException($"channel dimension {channelDim} outside shape of rank {shape.Length}");
        }
        int inner = 1;
        for (int d = channelDim + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }
        return (shape[channelDim], inner);
    }

    /// <summary>
    /// Symmetric weight scales: per channel along <paramref name="channelDim"/> (or one for the whole tensor when it
    /// is -1), scale = max|w| / 127 in float32 (1 for an all-zero channel with a zero bias). With a bias and the input scale, a
    /// channel whose bias code round(b / (input_scale * scale)) would exceed 2^30 gets scale |b| / (input_scale * 2^30).
    /// </summary>
    /// <param name="weights">Float weights.</param>
    /// <param name="shape">Their shape.</param>
    /// <param name="channelDim">Channel dimension (0 for OHWI and [out, in], 3 for depthwise), or -1 for per-tensor.</param>
    /// <param name="bias">Float bias per channel, or null.</param>
    /// <param name="inputScale">Scale of the op's input (used with the bias).</param>
    /// <returns>One scale per channel.</returns>
    public static float[] WeightScales(ReadOnlySpan<float> weights, int[] shape, int channelDim, float[]? bias = null, float inputScale = 0f)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var (channels, inner) = Layout(shape, channelDim, weights.Length);
        var max = new float[channels];
        for (int i = 0; i < weights.Length; i++)
        {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            float a = Math.Abs(weights[i]);
            if (a > max[c])
            {
                max[c] = a;
            }
        }
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scales[c] = max[c] / 127f;
            if (bias is not null && inputScale > 0f && c < bias.Length && bias[c] != 0f)
            {
                double b = Math.Abs((double)bias[c]);
                if (scales[c] == 0f || b / ((double)inputScale * scales[c]) > MaxBiasCode)
                {
                    scales[c] = (float)(b / ((double)inputScale * MaxBiasCode));
                }
            }
            if (!(scales[c] > 0f))
            {
                scales[c] = 1f; // all-zero weights and bias: any scale represents them exactly
            }
        }
        return scales;
    }

    /// <summary>q = round(w / scale[c]) half away from zero, clamped to -127..127.</summary>
    /// <param name="weights">Float weights.</param>
    /// <param name="shape">Their shape.</param>
    /// <param name="channelDim">Channel dimension, or -1 for per-tensor.</param>
    /// <param name="scales">One scale per channel (or one).</param>
    /// <returns>The int8 codes.</returns>
    public static sbyte[] QuantizeWeights(ReadOnlySpan<float> weights, int[] shape, int channelDim, float[] scales)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(scales);
        var (channels, inner) = Layout(shape, channelDim, weights.Length);
        if (scales.Length != channels)
        {
            throw new ArgumentException($"{scales.Length} scales for {channels} channels", nameof(scales));
        }
        var q = new sbyte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            float v = MathF.Round(weights[i] / scales[c], MidpointRounding.AwayFromZero);
            q[i] = (sbyte)Math.Clamp(v, -127f, 127f);
        }
        return q;
    }

    /// <summary>Bias codes: round(b[c] / (input_scale * weight_scale[c])) with the product in float32, half away from zero, clamped to int32.</summary>
    /// <param name="bias">Float bias.</param>
    /// <param name="inputScale">Input scale of the op.</param>
    /// <param name="weightScales">Weight scale per channel (or one for all).</param>
    /// <returns>The int32 codes.</returns>
    public static int[] QuantizeBias(ReadOnlySpan<float> bias, float inputScale, float[] weightScales)
    {
        ArgumentNullException.ThrowIfNull(weightScales);
        var q = new int[bias.Length];
        for (int c = 0; c < bias.Length; c++)
        {
            float s = inputScale * weightScales[weightScales.Length == 1 ? 0 : c];
            double v = Math.Round(bias[c] / (double)s, MidpointRounding.AwayFromZero);
            q[c] = (int)Math.Clamp(v, int.MinValue, int.MaxValue);
        }
        return q;
    }
}
