namespace Nanonet.Serial;

/// <summary>A board (real or simulated) could not be reached, did not answer, or answered with an error.</summary>
public sealed class BoardException(string message) : Exception(message);
