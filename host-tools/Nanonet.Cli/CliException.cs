namespace Nanonet.Cli;

/// <summary>A user-facing error: the CLI prints its message on one line and exits non-zero.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, in one sentence.</param>
    public CliException(string message)
        : base(message)
    {
    }
}
