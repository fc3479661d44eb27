namespace Nanonet.Core.Protocol
{
    /// <summary>
    /// Byte-at-a-time frame decoder with resynchronisation and a bounded buffer (docs/serial-protocol.md).
    /// <list type="bullet">
    /// <item>Bytes before a marker are garbage (dropped, counted). After a marker the 12-byte header is collected and
    /// checked: header check (low 16 bits of CRC-32 over header bytes 2 .. 9), then version, then length
    /// (at most <see cref="Wire.MaxPayload"/>). A failed header check is dropped silently; a wrong version or an
    /// oversized length is reported. Either way decoding resumes at the byte after the marker.</item>
    /// <item>With a good header the decoder collects payload and CRC. A good CRC gives the frame; a bad one is reported
    /// and decoding resumes at the byte after the failed frame's marker, so a frame hidden in the bytes of a broken
    /// one is still found.</item>
    /// <item>A frame cut short (the sender stopped mid-frame, then sent a new frame) would otherwise swallow the next
    /// frame as payload. So while collecting a payload the decoder also watches for an intact header that starts
    /// inside it; when that inner frame completes with a good CRC before the outer one is complete, the outer one is
    /// reported as <see cref="ErrorCode.Truncated"/> and the inner one is delivered. (An outer frame whose payload
    /// legitimately embeds a complete valid frame would be split: the protocol never sends one.)</item>
    /// <item>Memory: two buffers of <see cref="Wire.MaxFrame"/> bytes; nothing grows. <see cref="Reset"/> drops a
    /// partial frame (used when the line has been idle too long mid-frame).</item>
    /// </list>
    /// </summary>
    public sealed class FrameDecoder
    {
        private readonly IFrameListener listener;
        private readonly byte[] buffer = new byte[Wire.MaxFrame];
        private readonly byte[] pending = new byte[Wire.MaxFrame];
        private int count;
        private int expected;
        private int pendingIndex;
        private int pendingEnd;
        private bool inPending;
        private int candidateStart = -1;
        private int candidateEnd;

        /// <summary>Creates a decoder reporting to a listener.</summary>
        /// <param name="listener">Receives frames and errors.</param>
        public FrameDecoder(IFrameListener listener)
        {
            if (listener == null)
            {
                throw new System.ArgumentNullException("listener");
            }

            this.listener = listener;
        }

        /// <summary>Bytes currently held for a frame in progress (never above <see cref="Wire.MaxFrame"/>).</summary>
        public int Buffered
        {
            get { return count; }
        }

        /// <summary>True while a frame is partly received.</summary>
        public bool InFrame
        {
            get { return count > 0; }
        }

        /// <summary>Bytes dropped because no intact frame contained them.</summary>
        public long GarbageBytes { get; private set; }

        /// <summary>Frames delivered.</summary>
        public long FramesDecoded { get; private set; }

        /// <summary>Errors reported to the listener.</summary>
        public long ErrorsReported { get; private set; }

        /// <summary>Feeds bytes.</summary>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="length">Number of bytes.</param>
        public void Push(byte[] data, int offset, int length)
        {
            for (int i = 0; i < length; i++)
            {
                Push(data[offset + i]);
            }
        }

        /// <summary>Feeds one byte.</summary>
        /// <param name="value">The byte.</param>
        public void Push(byte value)
        {
            Accept(value);
            if (pendingIndex < pendingEnd)
            {
                inPending = true;
                try
                {
                    while (pendingIndex < pendingEnd)
                    {
                        Accept(pending[pendingIndex++]);
                    }
                }
                finally
                {
                    inPending = false;
                    pendingIndex = 0;
                    pendingEnd = 0;
                }
            }
        }

        /// <summary>Drops a partial frame (the sender went quiet mid-frame). A partial frame with an intact header is
        /// reported as <see cref="ErrorCode.Truncated"/>.</summary>
        /// <returns>True when bytes were dropped.</returns>
        public bool Reset()
        {
            if (count == 0)
            {
                return false;
            }

            if (expected > 0)
            {
                Report(ErrorCode.Truncated, "frame cut short: " + count.ToString() + " of " + expected.ToString() + " bytes arrived");
            }

            GarbageBytes += count;
            count = 0;
            expected = 0;
            candidateStart = -1;
            return true;
        }

        private void Accept(byte b)
        {
            buffer[count++] = b;
            if (count == 1)
            {
                if (b != Wire.Marker0)
                {
                    count = 0;
                    GarbageBytes++;
                }

                return;
            }

            if (count == 2)
            {
                if (b != Wire.Marker1)
                {
                    GarbageBytes++;
                    if (b == Wire.Marker0)
                    {
                        count = 1;
                    }
                    else
                    {
                        GarbageBytes++;
                        count = 0;
                    }
                }

                return;
            }

            if (count < Wire.HeaderSize)
            {
                return;
            }

            if (count == Wire.HeaderSize)
            {
                StartFrame();
                return;
            }

            if (count == expected)
            {
                int length = expected - Wire.HeaderSize - Wire.TrailerSize;
                if (FrameEncoder.FrameCrc(buffer, 0, length) == U32(buffer, Wire.HeaderSize + length))
                {
                    Deliver(0, length);
                    count = 0;
                    expected = 0;
                    candidateStart = -1;
                }
                else
                {
                    Report(ErrorCode.BadCrc, "bad CRC on a frame of " + length.ToString() + " payload bytes");
                    Rescan(1);
                }

                return;
            }

            if (candidateStart >= 0 && count == candidateEnd)
            {
                int length = candidateEnd - candidateStart - Wire.HeaderSize - Wire.TrailerSize;
                if (FrameEncoder.FrameCrc(buffer, candidateStart, length) == U32(buffer, candidateStart + Wire.HeaderSize + length))
                {
                    Report(ErrorCode.Truncated, "frame cut short after " + candidateStart.ToString() + " of " + expected.ToString() + " bytes by the next frame");
                    GarbageBytes += candidateStart;
                    Deliver(candidateStart, length);
                    count = 0;
                    expected = 0;
                    candidateStart = -1;
                    return;
                }

                candidateStart = -1;
            }

            int s = count - Wire.HeaderSize;
            if (buffer[s] == Wire.Marker0 && buffer[s + 1] == Wire.Marker1 && buffer[s + 2] == Wire.Version
                && HeaderIntact(s) && U32(buffer, s + 6) <= Wire.MaxPayload)
            {
                candidateStart = s;
                candidateEnd = s + Wire.HeaderSize + (int)U32(buffer, s + 6) + Wire.TrailerSize;
            }
        }

        private void StartFrame()
        {
            if (!HeaderIntact(0))
            {
                Rescan(1);
                return;
            }

            if (buffer[2] != Wire.Version)
            {
                Report(ErrorCode.BadVersion, "protocol version " + buffer[2].ToString() + " (this device speaks version " + Wire.Version.ToString() + ")");
                Rescan(1);
                return;
            }

            uint length = U32(buffer, 6);
            if (length > Wire.MaxPayload)
            {
                Report(ErrorCode.TooLong, "payload length " + length.ToString() + " is above the maximum of " + Wire.MaxPayload.ToString());
                Rescan(1);
                return;
            }

            expected = Wire.HeaderSize + (int)length + Wire.TrailerSize;
            candidateStart = -1;
        }

        private bool HeaderIntact(int at)
        {
            return FrameEncoder.HeaderCheck(buffer, at) == (uint)(buffer[at + 10] | (buffer[at + 11] << 8));
        }

        private void Deliver(int at, int length)
        {
            var payload = new byte[length];
            System.Array.Copy(buffer, at + Wire.HeaderSize, payload, 0, length);
            FramesDecoded++;
            listener.OnFrame(new Frame(buffer[at + 3], buffer[at + 4] | (buffer[at + 5] << 8), payload));
        }

        private void Report(int code, string message)
        {
            ErrorsReported++;
            listener.OnFrameError(code, buffer[3], buffer[4] | (buffer[5] << 8), message);
        }

        /// <summary>Drops buffer[0 .. from) and decodes buffer[from .. count) again.</summary>
        private void Rescan(int from)
        {
            int keep = count - from;
            GarbageBytes += from;
            expected = 0;
            candidateStart = -1;
            if (inPending)
            {
                // buffer[0 .. count) are exactly pending[pendingIndex - count .. pendingIndex): rewind over them.
                pendingIndex -= keep;
            }
            else
            {
                System.Array.Copy(buffer, from, pending, 0, keep);
                pendingIndex = 0;
                pendingEnd = keep;
            }

            count = 0;
        }

        private static uint U32(byte[] b, int at)
        {
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
        }
    }
}
