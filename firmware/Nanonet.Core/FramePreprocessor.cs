namespace Nanonet.Core
{
    /// <summary>
    /// Turns a camera frame into the model's int8 input tensor, the way the host pipeline
    /// (host-tools/Nanonet.Imaging/ImagePreprocessor.cs) turns a decoded picture into one, so the board and the PC
    /// compute the same bytes from the same pixels:
    /// <list type="number">
    /// <item>Unpack: gray8 stays one channel; RGB565 (big- or little-endian, see <see cref="PixelFormat"/>) is expanded
    /// to RGB888 by bit replication, r8 = (r5 &lt;&lt; 3) | (r5 &gt;&gt; 2), g8 = (g6 &lt;&lt; 2) | (g6 &gt;&gt; 4),
    /// b8 = (b5 &lt;&lt; 3) | (b5 &gt;&gt; 2) (0 maps to 0, full scale to 255); RGB888 is taken as is.</item>
    /// <item>Resize, only when the frame's size differs from the model's: exact integer area averaging
    /// (<see cref="AreaResizer"/>, identical to the host's AreaResampler), on the unpacked channels. A 96x96 gray frame
    /// for a 96x96 gray model passes through untouched.</item>
    /// <item>Colour: a GRAY8 model given RGB gets the host's integer luma Y = (77 R + 150 G + 29 B + 128) &gt;&gt; 8,
    /// computed after the resize as on the host; an RGB888 model given gray gets the value in all three channels.
    /// (The host resizes gray pictures as R = G = B triples; resizing the one channel gives the same values.)</item>
    /// <item>Map every 8-bit value through the model's pixel table (one shared table, or one per R, G, B).</item>
    /// </list>
    /// Buffers are kept between calls (no allocation per frame while the frame size stays the same).
    /// </summary>
    public sealed class FramePreprocessor
    {
        private readonly int width;
        private readonly int height;
        private readonly int channels;
        private readonly sbyte[] lut0;
        private readonly sbyte[] lut1;
        private readonly sbyte[] lut2;
        private byte[] unpacked;
        private byte[] resized;
        private AreaResizer resizer;

        /// <summary>Prepares preprocessing for a model.</summary>
        /// <param name="model">The model (GRAY8 or RGB888 input layout).</param>
        /// <exception cref="System.ArgumentException">The model takes RAW tensors: no pixel tables.</exception>
        public FramePreprocessor(ModelInfo model)
        {
            if (model == null)
            {
                throw new System.ArgumentNullException("model");
            }

            if (model.ColourLayout == ModelInfo.LayoutRaw || model.PixelTables.Length == 0)
            {
                throw new System.ArgumentException("the model takes raw int8 tensors: it has no pixel tables for camera frames");
            }

            width = model.InputWidth;
            height = model.InputHeight;
            channels = model.InputChannels;
            lut0 = model.PixelTables[0];
            lut1 = model.PixelTables.Length == 3 ? model.PixelTables[1] : lut0;
            lut2 = model.PixelTables.Length == 3 ? model.PixelTables[2] : lut0;
        }

        /// <summary>Number of int8 values of the tensor <see cref="Process"/> writes.</summary>
        public int TensorLength
        {
            get { return width * height * channels; }
        }

        /// <summary>Preprocesses one frame into the model's input tensor.</summary>
        /// <param name="frame">The frame bytes.</param>
        /// <param name="offset">Where the frame starts in <paramref name="frame"/>.</param>
        /// <param name="format">A <see cref="PixelFormat"/> code.</param>
        /// <param name="frameWidth">Frame width in pixels.</param>
        /// <param name="frameHeight">Frame height in pixels.</param>
        /// <param name="tensor">Receives <see cref="TensorLength"/> int8 values (NHWC).</param>
        /// <exception cref="System.ArgumentException">Unknown format, bad size, or buffers of the wrong length.</exception>
        public void Process(byte[] frame, int offset, int format, int frameWidth, int frameHeight, sbyte[] tensor)
        {
            int bpp = PixelFormat.BytesPerPixel(format);
            if (bpp == 0)
            {
                throw new System.ArgumentException("unknown pixel format " + format.ToString());
            }

            if (frameWidth < 1 || frameHeight < 1 || frameWidth > 4096 || frameHeight > 4096)
            {
                throw new System.ArgumentException("invalid frame size " + frameWidth.ToString() + "x" + frameHeight.ToString());
            }

            int pixels = frameWidth * frameHeight;
            if (frame == null || offset < 0 || (long)offset + ((long)pixels * bpp) > frame.Length)
            {
                throw new System.ArgumentException("the frame has fewer than " + (pixels * bpp).ToString() + " bytes for a " + frameWidth.ToString() + "x" + frameHeight.ToString() + " " + PixelFormat.Name(format) + " frame");
            }

            if (tensor == null || tensor.Length != TensorLength)
            {
                throw new System.ArgumentException("the tensor buffer must hold " + TensorLength.ToString() + " values");
            }

            int srcChannels = format == PixelFormat.Gray8 ? 1 : 3;
            byte[] source;
            int sourceOffset;
            if (format == PixelFormat.Gray8 || format == PixelFormat.Rgb888)
            {
                source = frame;
                sourceOffset = offset;
            }
            else
            {
                unpacked = Ensure(unpacked, pixels * 3);
                Unpack565(frame, offset, pixels, format == PixelFormat.Rgb565BigEndian, unpacked);
                source = unpacked;
                sourceOffset = 0;
            }

            byte[] values = source;
            int valuesOffset = sourceOffset;
            if (frameWidth != width || frameHeight != height)
            {
                if (sourceOffset != 0 || source.Length != pixels * srcChannels)
                {
                    unpacked = Ensure(unpacked, pixels * srcChannels);
                    System.Array.Copy(source, sourceOffset, unpacked, 0, pixels * srcChannels);
                    source = unpacked;
                }

                if (resizer == null || !resizer.Matches(frameWidth, frameHeight, srcChannels, width, height))
                {
                    resizer = new AreaResizer(frameWidth, frameHeight, srcChannels, width, height);
                }

                resized = Ensure(resized, width * height * srcChannels);
                resizer.Resize(source, resized);
                values = resized;
                valuesOffset = 0;
            }

            MapToTensor(values, valuesOffset, srcChannels, tensor);
        }

        /// <summary>Integer luma of an RGB pixel: (77 R + 150 G + 29 B + 128) &gt;&gt; 8, as the host pipeline computes it.</summary>
        /// <param name="r">Red.</param>
        /// <param name="g">Green.</param>
        /// <param name="b">Blue.</param>
        /// <returns>The gray value.</returns>
        public static int Luma(int r, int g, int b)
        {
            return ((77 * r) + (150 * g) + (29 * b) + 128) >> 8;
        }

        /// <summary>Expands RGB565 pixels to RGB888 by bit replication.</summary>
        /// <param name="frame">The RGB565 bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="pixels">Number of pixels.</param>
        /// <param name="bigEndian">High byte first (esp32-camera) or low byte first.</param>
        /// <param name="rgb">Receives pixels * 3 bytes.</param>
        public static void Unpack565(byte[] frame, int offset, int pixels, bool bigEndian, byte[] rgb)
        {
            for (int p = 0; p < pixels; p++)
            {
                int b0 = frame[offset + (2 * p)];
                int b1 = frame[offset + (2 * p) + 1];
                int v = bigEndian ? (b0 << 8) | b1 : (b1 << 8) | b0;
                int r5 = v >> 11;
                int g6 = (v >> 5) & 0x3F;
                int b5 = v & 0x1F;
                rgb[3 * p] = (byte)((r5 << 3) | (r5 >> 2));
                rgb[(3 * p) + 1] = (byte)((g6 << 2) | (g6 >> 4));
                rgb[(3 * p) + 2] = (byte)((b5 << 3) | (b5 >> 2));
            }
        }

        private void MapToTensor(byte[] values, int at, int srcChannels, sbyte[] tensor)
        {
            int pixels = width * height;
            if (channels == 1)
            {
                if (srcChannels == 1)
                {
                    for (int p = 0; p < pixels; p++)
                    {
                        tensor[p] = lut0[values[at + p]];
                    }
                }
                else
                {
                    for (int p = 0; p < pixels; p++)
                    {
                        int i = at + (3 * p);
                        tensor[p] = lut0[Luma(values[i], values[i + 1], values[i + 2])];
                    }
                }
            }
            else if (srcChannels == 1)
            {
                for (int p = 0; p < pixels; p++)
                {
                    int v = values[at + p];
                    tensor[3 * p] = lut0[v];
                    tensor[(3 * p) + 1] = lut1[v];
                    tensor[(3 * p) + 2] = lut2[v];
                }
            }
            else
            {
                for (int p = 0; p < pixels; p++)
                {
                    int i = at + (3 * p);
                    tensor[3 * p] = lut0[values[i]];
                    tensor[(3 * p) + 1] = lut1[values[i + 1]];
                    tensor[(3 * p) + 2] = lut2[values[i + 2]];
                }
            }
        }

        private static byte[] Ensure(byte[] buffer, int length)
        {
            return buffer != null && buffer.Length == length ? buffer : new byte[length];
        }
    }
}
