namespace Nanonet.Core.Protocol
{
    /// <summary>CLASSIFY request: u8 top_k (0: the device default), then the int8 input tensor.</summary>
    public sealed class ClassifyRequest
    {
        /// <summary>Creates the request.</summary>
        /// <param name="topK">Classes wanted in the reply (0: default).</param>
        /// <param name="tensor">The int8 input tensor.</param>
        public ClassifyRequest(int topK, sbyte[] tensor)
        {
            TopK = topK;
            Tensor = tensor;
        }

        /// <summary>Classes wanted in the reply (0: default).</summary>
        public int TopK { get; private set; }

        /// <summary>The int8 input tensor.</summary>
        public sbyte[] Tensor { get; private set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            var w = new PayloadWriter(1 + Tensor.Length);
            w.U8(TopK);
            w.SBytes(Tensor);
            return w.ToArray();
        }

        /// <summary>Reads the payload.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The request.</returns>
        public static ClassifyRequest Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "CLASSIFY");
            int k = r.U8();
            return new ClassifyRequest(k, r.SBytes(r.Remaining));
        }
    }

    /// <summary>CLASSIFY_FRAME request: u8 top_k, u8 format (<see cref="PixelFormat"/>), u16 width, u16 height,
    /// then width * height * bytes-per-pixel frame bytes.</summary>
    public sealed class ClassifyFrameRequest
    {
        /// <summary>Creates the request.</summary>
        /// <param name="topK">Classes wanted (0: default).</param>
        /// <param name="format">A <see cref="PixelFormat"/> code.</param>
        /// <param name="width">Frame width.</param>
        /// <param name="height">Frame height.</param>
        /// <param name="pixels">The frame bytes.</param>
        public ClassifyFrameRequest(int topK, int format, int width, int height, byte[] pixels)
        {
            TopK = topK;
            Format = format;
            Width = width;
            Height = height;
            Pixels = pixels;
        }

        /// <summary>Classes wanted (0: default).</summary>
        public int TopK { get; private set; }

        /// <summary>The <see cref="PixelFormat"/> code.</summary>
        public int Format { get; private set; }

        /// <summary>Frame width.</summary>
        public int Width { get; private set; }

        /// <summary>Frame height.</summary>
        public int Height { get; private set; }

        /// <summary>The frame bytes.</summary>
        public byte[] Pixels { get; private set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            var w = new PayloadWriter(6 + Pixels.Length);
            w.U8(TopK);
            w.U8(Format);
            w.U16(Width);
            w.U16(Height);
            w.Bytes(Pixels, 0, Pixels.Length);
            return w.ToArray();
        }

        /// <summary>Reads the payload, checking the format and that the byte count matches the size.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The request.</returns>
        public static ClassifyFrameRequest Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "CLASSIFY_FRAME");
            int k = r.U8();
            int format = r.U8();
            int width = r.U16();
            int height = r.U16();
            if (!PixelFormat.IsKnown(format))
            {
                throw new ProtocolException(ErrorCode.BadPayload, "CLASSIFY_FRAME: unknown pixel format " + format.ToString());
            }

            if (width < 1 || height < 1)
            {
                throw new ProtocolException(ErrorCode.BadPayload, "CLASSIFY_FRAME: frame size " + width.ToString() + "x" + height.ToString());
            }

            long bytes = (long)width * height * PixelFormat.BytesPerPixel(format);
            if (bytes != r.Remaining)
            {
                throw new ProtocolException(ErrorCode.BadPayload, "CLASSIFY_FRAME: a " + width.ToString() + "x" + height.ToString() + " " + PixelFormat.Name(format) + " frame is " + bytes.ToString() + " bytes, the payload carries " + r.Remaining.ToString());
            }

            return new ClassifyFrameRequest(k, format, width, height, r.Bytes(r.Remaining));
        }
    }

    /// <summary>STREAM_START request: u8 top_k (0: default).</summary>
    public sealed class StreamStartRequest
    {
        /// <summary>Creates the request.</summary>
        /// <param name="topK">Classes per STREAM_RESULT (0: default).</param>
        public StreamStartRequest(int topK)
        {
            TopK = topK;
        }

        /// <summary>Classes per STREAM_RESULT (0: default).</summary>
        public int TopK { get; private set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            return new byte[] { (byte)TopK };
        }

        /// <summary>Reads the payload.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The request.</returns>
        public static StreamStartRequest Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "STREAM_START");
            int k = r.U8();
            r.End();
            return new StreamStartRequest(k);
        }
    }

    /// <summary>BENCH request: u16 iterations (1 .. <see cref="MaxIterations"/>).</summary>
    public sealed class BenchRequest
    {
        /// <summary>Most iterations one BENCH may ask for.</summary>
        public const int MaxIterations = 1000;

        /// <summary>Creates the request.</summary>
        /// <param name="iterations">Inferences to time.</param>
        public BenchRequest(int iterations)
        {
            Iterations = iterations;
        }

        /// <summary>Inferences to time.</summary>
        public int Iterations { get; private set; }

        /// <summary>The payload bytes.</summary>
        /// <returns>The payload.</returns>
        public byte[] ToPayload()
        {
            var w = new PayloadWriter(2);
            w.U16(Iterations);
            return w.ToArray();
        }

        /// <summary>Reads the payload.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The request.</returns>
        public static BenchRequest Parse(byte[] payload)
        {
            var r = new PayloadReader(payload, "BENCH");
            int n = r.U16();
            r.End();
            if (n < 1 || n > MaxIterations)
            {
                throw new ProtocolException(ErrorCode.BadPayload, "BENCH: " + n.ToString() + " iterations is outside 1 .. " + MaxIterations.ToString());
            }

            return new BenchRequest(n);
        }
    }
}
