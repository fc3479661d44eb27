namespace Nanonet.Native;

/// <summary>
/// The native engine rejected a model or an inference. <see cref="Exception.Message"/> reads like
/// "NN_ERR_BAD_CRC: checksum does not match (op 3)": the status name, the engine's sentence, and where
/// the fault is when the engine knows it.
/// </summary>
public sealed class EngineException : Exception
{
    /// <summary>Creates the exception from an engine result.</summary>
    /// <param name="result">The failed result.</param>
    public EngineException(NativeResult result)
        : base(result.ToString())
    {
        Result = result;
    }

    /// <summary>Creates an exception for a failure detected on the managed side of the binding.</summary>
    /// <param name="message">What is wrong.</param>
    public EngineException(string message)
        : base(message)
    {
        Result = new NativeResult(-1, "NN_ERR_MANAGED", message, -1, -1, -1);
    }

    /// <summary>The engine's status and diagnostics.</summary>
    public NativeResult Result { get; }

    /// <summary>The nn_status code.</summary>
    public int Status => Result.Status;
}
