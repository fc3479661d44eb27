using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Nanonet.Serial;

/// <summary>
/// A pseudo-terminal pair (POSIX <c>posix_openpt</c>): the simulated board holds the master side and reads and
/// writes raw bytes on it; a client opens <see cref="DevicePath"/> (the slave side, for example /dev/pts/3) like
/// any serial port, with System.IO.Ports or a terminal program.
/// <para>
/// The line discipline is raw (<c>cfmakeraw</c> on the pair), so every byte passes unchanged. The master is
/// non-blocking: <see cref="Read"/> waits with <c>poll</c> for at most a timeout, and <see cref="Write"/> never
/// blocks the board when no client drains the line (bytes no client reads are dropped, as on a real UART).
/// While no client has the device open, reads report no data.
/// </para>
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
public sealed partial class PseudoTerminal : IDisposable
{
    private int _master;

    private PseudoTerminal(int master, string devicePath)
    {
        _master = master;
        DevicePath = devicePath;
    }

    /// <summary>The device a client opens (the slave side).</summary>
    public string DevicePath { get; }

    /// <summary>Opens a new pseudo-terminal pair in raw mode.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux or macOS.</exception>
    /// <exception cref="IOException">The system refused a step (the message names it).</exception>
    public static PseudoTerminal Open()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("a simulated board needs a pseudo-terminal: Linux or macOS");
        }
        int flags = OperatingSystem.IsLinux() ? LinuxO_RDWR | LinuxO_NOCTTY | LinuxO_NONBLOCK : MacO_RDWR | MacO_NOCTTY | MacO_NONBLOCK;
        int master = posix_openpt(flags);
        if (master < 0)
        {
            throw Failure("posix_openpt");
        }
        try
        {
            if (grantpt(master) != 0)
            {
                throw Failure("grantpt");
            }
            if (unlockpt(master) != 0)
            {
                throw Failure("unlockpt");
            }
            string path = SlaveName(master);
            MakeRaw(master);
            return new PseudoTerminal(master, path);
        }
        catch
        {
            close(master);
            throw;
        }
    }

    /// <summary>
    /// Reads what the client sent, waiting at most <paramref name="timeoutMilliseconds"/> for the first byte.
    /// Returns the number of bytes read, 0 when nothing arrived in time or no client has the device open.
    /// </summary>
    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + (long)count, buffer.Length);
        ObjectDisposedException.ThrowIf(_master < 0, this);
        var fds = new PollFd { Fd = _master, Events = PollIn };
        int ready = poll(ref fds, 1, timeoutMilliseconds);
        if (ready <= 0 || (fds.Revents & PollIn) == 0)
        {
            if ((fds.Revents & (PollHup | PollErr)) != 0)
            {
                Thread.Sleep(Math.Min(timeoutMilliseconds, 20)); // no client: the master reports hang-up at once
            }
            return 0;
        }
        unsafe
        {
            fixed (byte* p = &buffer[offset])
            {
                nint n = read(_master, p, count);
                return n > 0 ? (int)n : 0; // EIO: the client closed; EAGAIN: raced with another reader
            }
        }
    }

    /// <summary>
    /// Writes bytes to the client. Returns how many the line took: fewer than asked (down to 0) when no client
    /// reads them and the line's buffer is full; the board never blocks on a silent client.
    /// </summary>
    public int Write(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + (long)count, buffer.Length);
        ObjectDisposedException.ThrowIf(_master < 0, this);
        int written = 0;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                while (written < count)
                {
                    nint n = write(_master, p + offset + written, count - written);
                    if (n <= 0)
                    {
                        break;
                    }
                    written += (int)n;
                }
            }
        }
        return written;
    }

    /// <summary>Closes the master side: the client's next read sees the end of the line.</summary>
    public void Dispose()
    {
        if (_master >= 0)
        {
            close(_master);
            _master = -1;
        }
    }

    private static IOException Failure(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {new Win32Exception(errno).Message} (errno {errno})");
    }

    private static string SlaveName(int master)
    {
        var name = new byte[256];
        unsafe
        {
            fixed (byte* p = name)
            {
                if (OperatingSystem.IsLinux())
                {
                    int rc = ptsname_r(master, p, name.Length);
                    if (rc != 0)
                    {
                        throw new IOException($"ptsname_r failed: errno {rc}");
                    }
                }
                else
                {
                    nint s = ptsname(master);
                    if (s == 0)
                    {
                        throw Failure("ptsname");
                    }
                    return Marshal.PtrToStringUTF8(s)!;
                }
            }
        }
        return System.Text.Encoding.UTF8.GetString(name, 0, Array.IndexOf(name, (byte)0));
    }

    private static void MakeRaw(int fd)
    {
        var termios = new byte[256]; // larger than struct termios on Linux and macOS
        unsafe
        {
            fixed (byte* t = termios)
            {
                if (tcgetattr(fd, t) != 0)
                {
                    throw Failure("tcgetattr");
                }
                cfmakeraw(t);
                if (tcsetattr(fd, 0 /* TCSANOW */, t) != 0)
                {
                    throw Failure("tcsetattr");
                }
            }
        }
    }

    private const int LinuxO_RDWR = 2, LinuxO_NOCTTY = 0x100, LinuxO_NONBLOCK = 0x800;
    private const int MacO_RDWR = 2, MacO_NOCTTY = 0x20000, MacO_NONBLOCK = 0x4;
    private const short PollIn = 1, PollErr = 8, PollHup = 16;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport("libc")]
    private static unsafe partial int ptsname_r(int fd, byte* buf, nint size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint ptsname(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int tcsetattr(int fd, int action, byte* termios);

    [LibraryImport("libc")]
    private static unsafe partial void cfmakeraw(byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(ref PollFd fds, nuint count, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buf, nint count);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
