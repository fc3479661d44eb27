namespace Nanonet.Tflite;

/// <summary>Thrown when a byte array is not a well-formed TFLite flatbuffer (schema v3).</summary>
public sealed class TfliteFormatException : Exception
{
    /// <summary>Creates the exception with a message saying what is malformed.</summary>
    public TfliteFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the low-level error that revealed the problem.</summary>
    public TfliteFormatException(string message, Exception inner) : base(message, inner) { }
}
