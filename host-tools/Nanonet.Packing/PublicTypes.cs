using System.Globalization;

namespace Nanonet.Packing;

/// <summary>How camera pixel bytes (0..255) map to the model's int8 input values.</summary>
public abstract record PixelMapping
{
    private protected PixelMapping() { }

    /// <summary>input value = pixel - 128 (TFLM's examples and the reference models' convention).</summary>
    public static PixelMapping Offset128 { get; } = new Offset128Mapping();

    /// <summary>
    /// real = lo + pixel * (hi - lo) / 255 (double), then q = clamp(round-half-away(real / input_scale) + input_zp, -128, 127).
    /// </summary>
    /// <param name="lo">Real value of pixel 0.</param>
    /// <param name="hi">Real value of pixel 255.</param>
    public static PixelMapping Range(float lo, float hi)
    {
        if (!float.IsFinite(lo) || !float.IsFinite(hi))
        {
            throw new ArgumentException("pixel range bounds must be finite");
        }
        return new RangeMapping(lo, hi);
    }

    /// <summary>Builds the 256-entry table for an input tensor of the given scale and zero point.</summary>
    /// <param name="inputScale">Input tensor scale.</param>
    /// <param name="inputZeroPoint">Input tensor zero point.</param>
    public abstract sbyte[] BuildTable(float inputScale, int inputZeroPoint);

    /// <summary>The mapping input = pixel - 128.</summary>
    public sealed record Offset128Mapping : PixelMapping
    {
        internal Offset128Mapping() { }

        /// <inheritdoc/>
        public override sbyte[] BuildTable(float inputScale, int inputZeroPoint)
        {
            var t = new sbyte[256];
            for (int p = 0; p < 256; p++)
            {
                t[p] = (sbyte)(p - 128);
            }
            return t;
        }

        /// <inheritdoc/>
        public override string ToString() => "Offset128";
    }

    /// <summary>The linear mapping of pixel 0..255 onto [Lo, Hi] in real units.</summary>
    /// <param name="Lo">Real value of pixel 0.</param>
    /// <param name="Hi">Real value of pixel 255.</param>
    public sealed record RangeMapping(float Lo, float Hi) : PixelMapping
    {
        /// <inheritdoc/>
        public override sbyte[] BuildTable(float inputScale, int inputZeroPoint)
        {
            var t = new sbyte[256];
            for (int p = 0; p < 256; p++)
            {
                double real = Lo + p * ((double)Hi - Lo) / 255.0;
                double q = Math.Round(real / inputScale, MidpointRounding.AwayFromZero) + inputZeroPoint;
                t[p] = (sbyte)Math.Clamp(q, -128.0, 127.0);
            }
            return t;
        }

        /// <inheritdoc/>
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"Range({Lo}, {Hi})");
    }
}

/// <summary>Options of <see cref="Packer.PackTflite"/>.</summary>
public sealed record PackOptions
{
    /// <summary>Class labels stored in the model (each at most 255 UTF-8 bytes), or null for none.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Store TFLM's exact 31-bit multipliers instead of the proven-equivalent shorter ones.</summary>
    public bool ExactMultipliers { get; init; }

    /// <summary>Pixel-to-input mapping used to build the input tables (GRAY8 / RGB888 inputs).</summary>
    public PixelMapping PixelMapping { get; init; } = PixelMapping.Offset128;
}

/// <summary>A TFLite model that is well-formed but uses an op or parameter the engine does not support.</summary>
public sealed class UnsupportedModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is unsupported; names the operator index when an operator is at fault.</param>
    public UnsupportedModelException(string message) : base(message) { }

    /// <summary>The TFLite operator index at fault, or -1 when the problem is not an operator's.</summary>
    public int OperatorIndex { get; init; } = -1;
}

/// <summary>A packed model (.nnb) that is malformed.</summary>
public sealed class NnbFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public NnbFormatException(string message) : base(message) { }
}

/// <summary>The engine's op codes (nn_format.h NN_OP_*).</summary>
public enum NnbOpCode
{
    /// <summary>CONV_2D.</summary>
    Conv2D = 1,
    /// <summary>DEPTHWISE_CONV_2D.</summary>
    DepthwiseConv2D,
    /// <summary>AVERAGE_POOL_2D.</summary>
    AveragePool2D,
    /// <summary>MEAN over H and W.</summary>
    Mean,
    /// <summary>FULLY_CONNECTED.</summary>
    FullyConnected,
    /// <summary>RESHAPE (byte copy).</summary>
    Reshape,
    /// <summary>SOFTMAX over the last dimension.</summary>
    Softmax,
    /// <summary>ADD of same-shaped tensors.</summary>
    Add,
    /// <summary>PAD with the output zero point.</summary>
    Pad,
}

/// <summary>Input colour layouts (nn_format.h NN_COLOUR_*).</summary>
public enum ColourLayout
{
    /// <summary>Raw int8 input fed as is.</summary>
    Raw = 0,
    /// <summary>One grey byte per pixel.</summary>
    Gray8 = 1,
    /// <summary>Interleaved R, G, B bytes.</summary>
    Rgb888 = 2,
}

/// <summary>A tensor of a packed model.</summary>
/// <param name="Index">Index in the tensor table.</param>
/// <param name="Shape">Dimensions (rank 1..4).</param>
/// <param name="Scale">Scale (informational).</param>
/// <param name="ZeroPoint">Zero point.</param>
/// <param name="SourceIndex">TFLite tensor index, or -1 when none.</param>
public sealed record NnbTensor(int Index, int[] Shape, float Scale, int ZeroPoint, int SourceIndex)
{
    /// <summary>Product of the dimensions.</summary>
    public int ElementCount => Shape.Aggregate(1, (a, d) => a * d);
}

/// <summary>An op record of a packed model.</summary>
/// <param name="Index">Position in the op table (execution order).</param>
/// <param name="Code">Op code.</param>
/// <param name="Inputs">Input tensor indices (one, or two for ADD).</param>
/// <param name="Output">Output tensor index.</param>
/// <param name="SourceIndex">TFLite operator index, or -1 when none.</param>
/// <param name="Macs">Multiply-accumulates (conv, depthwise, fully connected; 0 otherwise).</param>
/// <param name="ParameterBytes">Bytes of weights plus channel quantisation block.</param>
public sealed record NnbOp(int Index, NnbOpCode Code, int[] Inputs, int Output, int SourceIndex, long Macs, int ParameterBytes);

/// <summary>A decoded channel quantisation block.</summary>
/// <param name="BiasBits">Bits per bias.</param>
/// <param name="MultBits">Bits per multiplier.</param>
/// <param name="ShiftBits">Bits per shift delta.</param>
/// <param name="ShiftBase">Smallest shift.</param>
/// <param name="Bias">Bias per channel.</param>
/// <param name="Multiplier">Multiplier per channel (0 or in [2^30, 2^31)).</param>
/// <param name="Shift">Shift per channel (positive = left).</param>
/// <param name="ByteSize">Size of the block in bytes.</param>
public sealed record NnbChannelQuant(int BiasBits, int MultBits, int ShiftBits, int ShiftBase,
    int[] Bias, int[] Multiplier, int[] Shift, int ByteSize);
