namespace Nanonet.Tflite;

/// <summary>Base of the decoded builtin options of an operator (the schema's BuiltinOptions union).</summary>
public abstract record BuiltinOptions;

/// <summary>Conv2DOptions.</summary>
/// <param name="Padding">SAME or VALID.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="Activation">Fused activation.</param>
/// <param name="DilationW">Horizontal dilation (default 1).</param>
/// <param name="DilationH">Vertical dilation (default 1).</param>
public sealed record Conv2DOptions(Padding Padding, int StrideW, int StrideH, ActivationFunction Activation,
    int DilationW, int DilationH) : BuiltinOptions;

/// <summary>DepthwiseConv2DOptions.</summary>
/// <param name="Padding">SAME or VALID.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="DepthMultiplier">Depth multiplier as stored (may disagree with the shapes in old files).</param>
/// <param name="Activation">Fused activation.</param>
/// <param name="DilationW">Horizontal dilation (default 1).</param>
/// <param name="DilationH">Vertical dilation (default 1).</param>
public sealed record DepthwiseConv2DOptions(Padding Padding, int StrideW, int StrideH, int DepthMultiplier,
    ActivationFunction Activation, int DilationW, int DilationH) : BuiltinOptions;

/// <summary>Pool2DOptions (AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D).</summary>
/// <param name="Padding">SAME or VALID.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="FilterWidth">Window width.</param>
/// <param name="FilterHeight">Window height.</param>
/// <param name="Activation">Fused activation.</param>
public sealed record Pool2DOptions(Padding Padding, int StrideW, int StrideH, int FilterWidth, int FilterHeight,
    ActivationFunction Activation) : BuiltinOptions;

/// <summary>FullyConnectedOptions.</summary>
/// <param name="Activation">Fused activation.</param>
/// <param name="WeightsFormat">0 = DEFAULT; other formats are shuffled layouts.</param>
/// <param name="KeepNumDims">Keep the input's rank in the output.</param>
public sealed record FullyConnectedOptions(ActivationFunction Activation, int WeightsFormat, bool KeepNumDims)
    : BuiltinOptions;

/// <summary>SoftmaxOptions.</summary>
/// <param name="Beta">Softmax beta (schema default 0 when absent).</param>
public sealed record SoftmaxOptions(float Beta) : BuiltinOptions;

/// <summary>AddOptions.</summary>
/// <param name="Activation">Fused activation.</param>
public sealed record AddOptions(ActivationFunction Activation) : BuiltinOptions;

/// <summary>ReshapeOptions.</summary>
/// <param name="NewShape">The new_shape field, or null when absent (the shape then comes from input 1).</param>
public sealed record ReshapeOptions(int[]? NewShape) : BuiltinOptions;

/// <summary>PadOptions (no fields).</summary>
public sealed record PadOptions : BuiltinOptions;

/// <summary>ReducerOptions (MEAN, SUM, ...).</summary>
/// <param name="KeepDims">Keep reduced dimensions as size 1.</param>
public sealed record ReducerOptions(bool KeepDims) : BuiltinOptions;

/// <summary>Options of a union type this reader does not decode; only the union type id is kept.</summary>
/// <param name="TypeId">The BuiltinOptions union type id.</param>
public sealed record OtherOptions(int TypeId) : BuiltinOptions;
