using System.Runtime.Versioning;
using Nanonet.Core;

namespace Nanonet.Serial;

/// <summary>
/// The firmware core's serial link over the master side of a <see cref="PseudoTerminal"/>: what the board's UART is
/// on the simulated board. A read waits at most <see cref="ReadWaitMilliseconds"/> for the first byte (so a board
/// without a camera does not spin), then takes what is there; a write never blocks (bytes no client reads are
/// dropped, as on a real UART).
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
public sealed class PtyLink(PseudoTerminal pty) : ISerialLink
{
    private bool _waited;

    /// <summary>How long the first read of a poll waits for a byte.</summary>
    public int ReadWaitMilliseconds { get; init; } = 5;

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        // The dispatcher reads until a read returns 0: wait on the first read of a poll only.
        int n = pty.Read(buffer, offset, count, _waited ? 0 : ReadWaitMilliseconds);
        _waited = n > 0;
        return n;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count) => pty.Write(buffer, offset, count);
}
