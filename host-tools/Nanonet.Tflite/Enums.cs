namespace Nanonet.Tflite;

/// <summary>TFLite tensor element types (subset of the schema's TensorType; other values pass through as numbers).</summary>
public enum TensorType : sbyte
{
    /// <summary>32-bit float.</summary>
    Float32 = 0,
    /// <summary>16-bit float.</summary>
    Float16 = 1,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 2,
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 3,
    /// <summary>64-bit signed integer.</summary>
    Int64 = 4,
    /// <summary>String.</summary>
    String = 5,
    /// <summary>Boolean.</summary>
    Bool = 6,
    /// <summary>16-bit signed integer.</summary>
    Int16 = 7,
    /// <summary>Complex64.</summary>
    Complex64 = 8,
    /// <summary>8-bit signed integer.</summary>
    Int8 = 9,
}

/// <summary>TFLite builtin operator codes used by this project (the schema's BuiltinOperator; others appear as raw numbers).</summary>
public enum BuiltinOperator
{
    /// <summary>ADD.</summary>
    Add = 0,
    /// <summary>AVERAGE_POOL_2D.</summary>
    AveragePool2D = 1,
    /// <summary>CONCATENATION.</summary>
    Concatenation = 2,
    /// <summary>CONV_2D.</summary>
    Conv2D = 3,
    /// <summary>DEPTHWISE_CONV_2D.</summary>
    DepthwiseConv2D = 4,
    /// <summary>DEQUANTIZE.</summary>
    Dequantize = 6,
    /// <summary>FULLY_CONNECTED.</summary>
    FullyConnected = 9,
    /// <summary>LOGISTIC.</summary>
    Logistic = 14,
    /// <summary>MAX_POOL_2D.</summary>
    MaxPool2D = 17,
    /// <summary>MUL.</summary>
    Mul = 18,
    /// <summary>RELU.</summary>
    Relu = 19,
    /// <summary>RELU6.</summary>
    Relu6 = 21,
    /// <summary>RESHAPE.</summary>
    Reshape = 22,
    /// <summary>SOFTMAX.</summary>
    Softmax = 25,
    /// <summary>PAD.</summary>
    Pad = 34,
    /// <summary>TRANSPOSE.</summary>
    Transpose = 39,
    /// <summary>MEAN.</summary>
    Mean = 40,
    /// <summary>SQUEEZE.</summary>
    Squeeze = 43,
    /// <summary>PADV2.</summary>
    PadV2 = 60,
    /// <summary>QUANTIZE.</summary>
    Quantize = 114,
    /// <summary>HARD_SWISH.</summary>
    HardSwish = 117,
}

/// <summary>Helpers for <see cref="BuiltinOperator"/>.</summary>
public static class BuiltinOperatorNames
{
    /// <summary>The schema's upper-case name of a builtin code (for example "MAX_POOL_2D"), or "BUILTIN_n" when unknown.</summary>
    public static string Name(int code) => code switch
    {
        0 => "ADD", 1 => "AVERAGE_POOL_2D", 2 => "CONCATENATION", 3 => "CONV_2D", 4 => "DEPTHWISE_CONV_2D",
        5 => "DEPTH_TO_SPACE", 6 => "DEQUANTIZE", 7 => "EMBEDDING_LOOKUP", 8 => "FLOOR", 9 => "FULLY_CONNECTED",
        10 => "HASHTABLE_LOOKUP", 11 => "L2_NORMALIZATION", 12 => "L2_POOL_2D", 13 => "LOCAL_RESPONSE_NORMALIZATION",
        14 => "LOGISTIC", 15 => "LSH_PROJECTION", 16 => "LSTM", 17 => "MAX_POOL_2D", 18 => "MUL", 19 => "RELU",
        20 => "RELU_N1_TO_1", 21 => "RELU6", 22 => "RESHAPE", 23 => "RESIZE_BILINEAR", 24 => "RNN", 25 => "SOFTMAX",
        26 => "SPACE_TO_DEPTH", 27 => "SVDF", 28 => "TANH", 32 => "CUSTOM", 34 => "PAD", 37 => "GATHER",
        39 => "TRANSPOSE", 40 => "MEAN", 41 => "SUB", 42 => "DIV", 43 => "SQUEEZE", 45 => "STRIDED_SLICE",
        47 => "EXP", 49 => "SPLIT", 53 => "CAST", 54 => "PRELU", 55 => "MAXIMUM", 57 => "ARG_MAX", 58 => "MINIMUM",
        60 => "PADV2", 67 => "TRANSPOSE_CONV", 70 => "EXPAND_DIMS", 74 => "SUM", 77 => "SHAPE", 83 => "PACK",
        97 => "RESIZE_NEAREST_NEIGHBOR", 98 => "LEAKY_RELU", 114 => "QUANTIZE", 117 => "HARD_SWISH",
        _ => "BUILTIN_" + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>TFLite padding scheme.</summary>
public enum Padding : sbyte
{
    /// <summary>SAME: output = ceil(input / stride).</summary>
    Same = 0,
    /// <summary>VALID: no padding.</summary>
    Valid = 1,
}

/// <summary>TFLite fused activation function.</summary>
public enum ActivationFunction : sbyte
{
    /// <summary>No activation.</summary>
    None = 0,
    /// <summary>ReLU.</summary>
    Relu = 1,
    /// <summary>Clamp to [-1, 1].</summary>
    ReluN1To1 = 2,
    /// <summary>Clamp to [0, 6].</summary>
    Relu6 = 3,
    /// <summary>tanh (unsupported by the packer).</summary>
    Tanh = 4,
    /// <summary>sign bit (unsupported by the packer).</summary>
    SignBit = 5,
}
