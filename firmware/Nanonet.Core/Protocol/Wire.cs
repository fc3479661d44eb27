namespace Nanonet.Core.Protocol
{
    /// <summary>
    /// The numbers of the serial protocol (docs/serial-protocol.md): frame layout, limits, message types.
    /// Frame: marker 0xA5 0x5A, version, type, sequence (u16), payload length (u32), header check (u16), payload,
    /// CRC-32 (u32). All integers little-endian.
    /// </summary>
    public static class Wire
    {
        /// <summary>First byte of every frame.</summary>
        public const byte Marker0 = 0xA5;

        /// <summary>Second byte of every frame.</summary>
        public const byte Marker1 = 0x5A;

        /// <summary>The protocol version this core speaks.</summary>
        public const byte Version = 1;

        /// <summary>Bytes before the payload: marker 2, version 1, type 1, sequence 2, length 4, header check 2.</summary>
        public const int HeaderSize = 12;

        /// <summary>Bytes after the payload: the CRC-32.</summary>
        public const int TrailerSize = 4;

        /// <summary>Largest payload: 32 KiB (an RGB 96x96 int8 tensor is 27,648 bytes, an RGB565 96x96 frame 18,432).</summary>
        public const int MaxPayload = 32768;

        /// <summary>Largest whole frame.</summary>
        public const int MaxFrame = HeaderSize + MaxPayload + TrailerSize;

        /// <summary>Request: device description. Empty payload.</summary>
        public const byte Info = 0x01;

        /// <summary>Request: classify an int8 input tensor.</summary>
        public const byte Classify = 0x02;

        /// <summary>Request: classify a raw camera-format frame (preprocessed on the device).</summary>
        public const byte ClassifyFrame = 0x03;

        /// <summary>Request: push camera classifications as STREAM_RESULT frames.</summary>
        public const byte StreamStart = 0x04;

        /// <summary>Request: stop pushing camera classifications.</summary>
        public const byte StreamStop = 0x05;

        /// <summary>Request: time n inferences.</summary>
        public const byte Bench = 0x06;

        /// <summary>Bit set in the type of every reply: reply type = request type | 0x80.</summary>
        public const byte ReplyBit = 0x80;

        /// <summary>Unsolicited device frame: one camera classification while streaming.</summary>
        public const byte StreamResult = 0xA0;

        /// <summary>Error reply (to any request, or to a frame that could not be read).</summary>
        public const byte Error = 0xFF;

        /// <summary>The reply type of a request type.</summary>
        /// <param name="requestType">The request type.</param>
        /// <returns>requestType | 0x80.</returns>
        public static byte ReplyTo(byte requestType)
        {
            return (byte)(requestType | ReplyBit);
        }

        /// <summary>A name for a message type: INFO, CLASSIFY, ..., INFO_REPLY, ..., or "type 0xNN".</summary>
        /// <param name="type">The type byte.</param>
        /// <returns>The name.</returns>
        public static string TypeName(int type)
        {
            switch (type)
            {
                case Info:
                    return "INFO";
                case Classify:
                    return "CLASSIFY";
                case ClassifyFrame:
                    return "CLASSIFY_FRAME";
                case StreamStart:
                    return "STREAM_START";
                case StreamStop:
                    return "STREAM_STOP";
                case Bench:
                    return "BENCH";
                case StreamResult:
                    return "STREAM_RESULT";
                case Error:
                    return "ERROR";
                default:
                    if (type >= 0x81 && type <= 0x86)
                    {
                        return TypeName(type & 0x7F) + "_REPLY";
                    }

                    return "type 0x" + type.ToString("X2");
            }
        }
    }
}
