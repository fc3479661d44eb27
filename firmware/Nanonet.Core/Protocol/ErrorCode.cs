namespace Nanonet.Core.Protocol
{
    /// <summary>Codes of ERROR replies (docs/serial-protocol.md). Each reply also carries a message.</summary>
    public static class ErrorCode
    {
        /// <summary>The frame's CRC-32 does not match.</summary>
        public const int BadCrc = 1;

        /// <summary>The payload length is above the maximum (32 KiB).</summary>
        public const int TooLong = 2;

        /// <summary>The message type is not a request this firmware knows.</summary>
        public const int UnknownType = 3;

        /// <summary>The payload does not have the layout its type requires.</summary>
        public const int BadPayload = 4;

        /// <summary>The input tensor's size is not the model's input size.</summary>
        public const int WrongTensorSize = 5;

        /// <summary>The engine failed; the message starts with the engine's status name (e.g. NN_ERR_BAD_CRC).</summary>
        public const int EngineError = 6;

        /// <summary>The camera failed or there is none.</summary>
        public const int CameraError = 7;

        /// <summary>Too many requests waiting (a bench in progress, or the request queue full).</summary>
        public const int Busy = 8;

        /// <summary>The frame's protocol version is not the device's.</summary>
        public const int BadVersion = 9;

        /// <summary>A frame was cut short: the next frame started before it ended.</summary>
        public const int Truncated = 10;

        /// <summary>An unexpected failure inside the firmware (the message says what).</summary>
        public const int Internal = 11;

        /// <summary>A name for a code: BAD_CRC, TOO_LONG, ... or "ERROR_N".</summary>
        /// <param name="code">The code.</param>
        /// <returns>The name.</returns>
        public static string Name(int code)
        {
            switch (code)
            {
                case BadCrc:
                    return "BAD_CRC";
                case TooLong:
                    return "TOO_LONG";
                case UnknownType:
                    return "UNKNOWN_TYPE";
                case BadPayload:
                    return "BAD_PAYLOAD";
                case WrongTensorSize:
                    return "WRONG_TENSOR_SIZE";
                case EngineError:
                    return "ENGINE_ERROR";
                case CameraError:
                    return "CAMERA_ERROR";
                case Busy:
                    return "BUSY";
                case BadVersion:
                    return "BAD_VERSION";
                case Truncated:
                    return "TRUNCATED";
                case Internal:
                    return "INTERNAL";
                default:
                    return "ERROR_" + code.ToString();
            }
        }
    }
}
