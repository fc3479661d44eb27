namespace Nanonet.Core.Protocol
{
    /// <summary>Writes frames in the wire layout of <see cref="Wire"/>.</summary>
    public static class FrameEncoder
    {
        /// <summary>Encodes a frame.</summary>
        /// <param name="type">Message type.</param>
        /// <param name="sequence">Sequence number (low 16 bits used).</param>
        /// <param name="payload">Payload (null: empty); at most <see cref="Wire.MaxPayload"/> bytes.</param>
        /// <returns>The frame bytes.</returns>
        public static byte[] Encode(byte type, int sequence, byte[] payload)
        {
            int length = payload == null ? 0 : payload.Length;
            if (length > Wire.MaxPayload)
            {
                throw new System.ArgumentException("payload of " + length.ToString() + " bytes is above the maximum of " + Wire.MaxPayload.ToString());
            }

            return EncodeUnchecked(type, sequence, payload, length, Wire.Version);
        }

        /// <summary>Encodes a frame object.</summary>
        /// <param name="frame">The frame.</param>
        /// <returns>The frame bytes.</returns>
        public static byte[] Encode(Frame frame)
        {
            return Encode(frame.Type, frame.Sequence, frame.Payload);
        }

        /// <summary>
        /// Encodes without the length limit and with any version, for tests of the decoder's rejections: the header
        /// states <paramref name="declaredLength"/> and carries min(declaredLength, payload length) payload bytes.
        /// </summary>
        /// <param name="type">Message type.</param>
        /// <param name="sequence">Sequence number.</param>
        /// <param name="payload">Payload bytes (null: none).</param>
        /// <param name="declaredLength">The length written in the header.</param>
        /// <param name="version">The version byte.</param>
        /// <returns>The frame bytes.</returns>
        public static byte[] EncodeUnchecked(byte type, int sequence, byte[] payload, int declaredLength, byte version)
        {
            int present = payload == null ? 0 : payload.Length;
            if (present > declaredLength)
            {
                present = declaredLength;
            }

            var frame = new byte[Wire.HeaderSize + present + Wire.TrailerSize];
            frame[0] = Wire.Marker0;
            frame[1] = Wire.Marker1;
            frame[2] = version;
            frame[3] = type;
            frame[4] = (byte)sequence;
            frame[5] = (byte)(sequence >> 8);
            WriteU32(frame, 6, (uint)declaredLength);
            uint check = HeaderCheck(frame, 0);
            frame[10] = (byte)check;
            frame[11] = (byte)(check >> 8);
            if (present > 0)
            {
                System.Array.Copy(payload, 0, frame, Wire.HeaderSize, present);
            }

            WriteU32(frame, Wire.HeaderSize + present, FrameCrc(frame, 0, present));
            return frame;
        }

        /// <summary>The header check of the header at <paramref name="at"/>: low 16 bits of CRC-32 over its bytes 2 .. 9.</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="at">Where the header (its marker) starts.</param>
        /// <returns>The 16-bit check.</returns>
        public static uint HeaderCheck(byte[] buffer, int at)
        {
            return Crc32.Compute(buffer, at + 2, 8) & 0xFFFF;
        }

        /// <summary>The CRC-32 of a frame: over everything after the marker up to the end of the payload.</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="at">Where the frame (its marker) starts.</param>
        /// <param name="payloadLength">The payload length.</param>
        /// <returns>The CRC-32.</returns>
        public static uint FrameCrc(byte[] buffer, int at, int payloadLength)
        {
            return Crc32.Compute(buffer, at + 2, Wire.HeaderSize - 2 + payloadLength);
        }

        private static void WriteU32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }
    }
}
