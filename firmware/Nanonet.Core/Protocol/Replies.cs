namespace Nanonet.Core.Protocol
{
    /// <summary>
    /// INFO reply: string8 firmware_version, string8 model_name, u32 model_bytes, u32 model_crc, u8 colour_layout,
    /// u8 input_rank, u16 dims[input_rank], u32 input_elements, u32 output_elements, u32 free_memory, u32 arena_bytes,
    /// u32 peak_bytes, u16 label_count, label_count x string8 label.
    /// </summary>
    public sealed class InfoReply
    {
        /// <summary>Firmware version.</summary>
        public string FirmwareVersion { get; set; }

        /// <summary>Model name (empty when none).</summary>
        public string ModelName { get; set; }

        /// <summary>Size of the .nnb blob.</summary>
        public long ModelBytes { get; set; }

        /// <summary>The blob's CRC field.</summary>
        public long ModelCrc { get; set; }

        /// <summary>Input colour layout (0 RAW, 1 GRAY8, 2 RGB888).</summary>
        public int ColourLayout { get; set; }

        /// <summary>Input tensor dims.</summary>
        public int[] InputDims { get; set; }

        /// <summary>Input element count.</summary>
        public long InputElements { get; set; }

        /// <summary>Output element count.</summary>
        public long OutputElements { get; set; }

        /// <summary>Free memory in bytes (managed heap on the board).</summary>
        public long FreeMemory { get; set; }

        /// <summary>Engine arena size in bytes.</summary>
        public long ArenaBytes { get; set; }

        /// <summary>Peak bytes of the engine (the last inference's; the plan's before any).</summary>
        public long PeakBytes { get; set; }

        /// <summary>Class labels.</summary>
        public string[] Labels { get; set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            var w = new PayloadWriter(256);
            w.String8(FirmwareVersion);
            w.String8(ModelName);
            w.U32(ModelBytes);
            w.U32(ModelCrc);
            w.U8(ColourLayout);
            w.U8(InputDims.Length);
            for (int i = 0; i < InputDims.Length; i++)
            {
                w.U16(InputDims[i]);
            }

            w.U32(InputElements);
            w.U32(OutputElements);
            w.U32(FreeMemory);
            w.U32(ArenaBytes);
            w.U32(PeakBytes);
            w.U16(Labels.Length);
            for (int i = 0; i < Labels.Length; i++)
            {
                w.String8(Labels[i]);
            }

            return w.ToArray();
        }

        /// <summary>Reads the payload.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The reply.</returns>
        public static InfoReply Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "INFO_REPLY");
            var x = new InfoReply();
            x.FirmwareVersion = r.String8();
            x.ModelName = r.String8();
            x.ModelBytes = r.U32();
            x.ModelCrc = r.U32();
            x.ColourLayout = r.U8();
            int rank = r.U8();
            x.InputDims = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                x.InputDims[i] = r.U16();
            }

            x.InputElements = r.U32();
            x.OutputElements = r.U32();
            x.FreeMemory = r.U32();
            x.ArenaBytes = r.U32();
            x.PeakBytes = r.U32();
            int labels = r.U16();
            x.Labels = new string[labels];
            for (int i = 0; i < labels; i++)
            {
                x.Labels[i] = r.String8();
            }

            r.End();
            return x;
        }
    }

    /// <summary>
    /// One classification (CLASSIFY and CLASSIFY_FRAME replies, STREAM_RESULT frames): u32 frame_number (camera frame
    /// counter for STREAM_RESULT, 0 otherwise), u32 microseconds, u32 peak_bytes, u16 output_count,
    /// output_count x i8 outputs, u8 k, k x (u16 index, i8 value, i32 score_milli, string8 label).
    /// </summary>
    public sealed class ClassificationReply
    {
        /// <summary>Camera frame counter (STREAM_RESULT) or 0.</summary>
        public long FrameNumber { get; set; }

        /// <summary>Inference time in microseconds.</summary>
        public long Microseconds { get; set; }

        /// <summary>Engine peak bytes of this inference.</summary>
        public long PeakBytes { get; set; }

        /// <summary>The int8 outputs.</summary>
        public sbyte[] Outputs { get; set; }

        /// <summary>The k best classes, best first.</summary>
        public Prediction[] Top { get; set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            var w = new PayloadWriter(16 + Outputs.Length + (Top.Length * 16));
            w.U32(FrameNumber);
            w.U32(Microseconds);
            w.U32(PeakBytes);
            w.U16(Outputs.Length);
            w.SBytes(Outputs);
            w.U8(Top.Length);
            for (int i = 0; i < Top.Length; i++)
            {
                w.U16(Top[i].Index);
                w.U8(Top[i].Value);
                w.U32(Top[i].ScoreMilli);
                w.String8(Top[i].Label);
            }

            return w.ToArray();
        }

        /// <summary>Reads the payload.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The reply.</returns>
        public static ClassificationReply Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "classification");
            var x = new ClassificationReply();
            x.FrameNumber = r.U32();
            x.Microseconds = r.U32();
            x.PeakBytes = r.U32();
            x.Outputs = r.SBytes(r.U16());
            int k = r.U8();
            x.Top = new Prediction[k];
            for (int i = 0; i < k; i++)
            {
                int index = r.U16();
                int value = r.I8();
                int milli = r.I32();
                x.Top[i] = new Prediction(index, r.String8(), value, milli);
            }

            r.End();
            return x;
        }
    }

    /// <summary>BENCH reply: u16 iterations, u32 min_us, u32 median_us (the lower median), u32 max_us, u32 peak_bytes.</summary>
    public sealed class BenchReply
    {
        /// <summary>Iterations run.</summary>
        public int Iterations { get; set; }

        /// <summary>Fastest inference, microseconds.</summary>
        public long MinMicroseconds { get; set; }

        /// <summary>Median (sorted[(n - 1) / 2]), microseconds.</summary>
        public long MedianMicroseconds { get; set; }

        /// <summary>Slowest inference, microseconds.</summary>
        public long MaxMicroseconds { get; set; }

        /// <summary>Engine peak bytes.</summary>
        public long PeakBytes { get; set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            var w = new PayloadWriter(18);
            w.U16(Iterations);
            w.U32(MinMicroseconds);
            w.U32(MedianMicroseconds);
            w.U32(MaxMicroseconds);
            w.U32(PeakBytes);
            return w.ToArray();
        }

        /// <summary>Reads the payload.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The reply.</returns>
        public static BenchReply Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "BENCH_REPLY");
            var x = new BenchReply();
            x.Iterations = r.U16();
            x.MinMicroseconds = r.U32();
            x.MedianMicroseconds = r.U32();
            x.MaxMicroseconds = r.U32();
            x.PeakBytes = r.U32();
            r.End();
            return x;
        }
    }

    /// <summary>ERROR reply: u16 code (<see cref="ErrorCode"/>), u8 request_type (0 when unknown), string16 message.</summary>
    public sealed class ErrorReply
    {
        /// <summary>Creates the reply.</summary>
        /// <param name="code">An <see cref="ErrorCode"/>.</param>
        /// <param name="requestType">The type of the request it answers (0 when unknown).</param>
        /// <param name="message">What went wrong.</param>
        public ErrorReply(int code, int requestType, string message)
        {
            Code = code;
            RequestType = requestType;
            Message = message ?? string.Empty;
        }

        /// <summary>The <see cref="ErrorCode"/>.</summary>
        public int Code { get; private set; }

        /// <summary>The request type it answers (0 when unknown).</summary>
        public int RequestType { get; private set; }

        /// <summary>What went wrong.</summary>
        public string Message { get; private set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            var w = new PayloadWriter(8 + Message.Length);
            w.U16(Code);
            w.U8(RequestType);
            w.String16(Message);
            return w.ToArray();
        }

        /// <summary>Reads the payload.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The reply.</returns>
        public static ErrorReply Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "ERROR");
            int code = r.U16();
            int type = r.U8();
            string message = r.String16();
            r.End();
            return new ErrorReply(code, type, message);
        }
    }
}
