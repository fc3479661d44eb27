namespace Nanonet.Core
{
    /// <summary>
    /// What the app needs to know about a packed model (.nnb, docs/model-format.md): its size and CRC, the input
    /// tensor (dims, zero point, colour layout, pixel lookup tables), the output tensor (element count, scale, zero
    /// point) and the class labels. The format has no model name: the app supplies one (e.g. the file name).
    /// <para>
    /// <see cref="Parse"/> checks every field it reads and every range it follows against the blob's length, so a
    /// broken blob gives a <see cref="ModelFormatException"/> naming the field, never an IndexOutOfRangeException.
    /// It does not check the op table: the engine's own validator does (IInferenceEngine.Validate).
    /// </para>
    /// </summary>
    public sealed class ModelInfo
    {
        /// <summary>Size of the .nnb header.</summary>
        public const int HeaderSize = 64;

        /// <summary>Colour layout RAW: the int8 tensor is fed as is (no pixel tables).</summary>
        public const int LayoutRaw = 0;

        /// <summary>Colour layout GRAY8: one channel, one pixel table.</summary>
        public const int LayoutGray8 = 1;

        /// <summary>Colour layout RGB888: interleaved R, G, B; one shared pixel table or one per channel.</summary>
        public const int LayoutRgb888 = 2;

        private const int TensorEntrySize = 20;
        private const int MaxCount = 1024;
        private const int MaxDim = 4096;
        private const int MaxElements = 4 * 1024 * 1024;

        private ModelInfo()
        {
        }

        /// <summary>total_size: bytes of the whole blob.</summary>
        public int TotalSize { get; private set; }

        /// <summary>The crc32 field (CRC-32/ISO-HDLC over the blob with these four bytes as zero).</summary>
        public uint Crc { get; private set; }

        /// <summary>Number of tensors in the tensor table.</summary>
        public int TensorCount { get; private set; }

        /// <summary>Number of ops in the op table.</summary>
        public int OpCount { get; private set; }

        /// <summary>The input tensor's used dims (rank 1 to 4; NHWC when rank is 4).</summary>
        public int[] InputDims { get; private set; }

        /// <summary>Input height: dims[rank - 3] for rank 3 or 4, else 1.</summary>
        public int InputHeight { get; private set; }

        /// <summary>Input width: dims[rank - 2] for rank 2 to 4, else 1.</summary>
        public int InputWidth { get; private set; }

        /// <summary>Input channels: the last dim.</summary>
        public int InputChannels { get; private set; }

        /// <summary>Element count of the input tensor.</summary>
        public int InputElements { get; private set; }

        /// <summary>Zero point of the input tensor.</summary>
        public int InputZeroPoint { get; private set; }

        /// <summary><see cref="LayoutRaw"/>, <see cref="LayoutGray8"/> or <see cref="LayoutRgb888"/>.</summary>
        public int ColourLayout { get; private set; }

        /// <summary>The pixel-to-int8 tables (256 entries each): none (RAW), one, or one per R, G, B.</summary>
        public sbyte[][] PixelTables { get; private set; }

        /// <summary>Element count of the output tensor.</summary>
        public int OutputElements { get; private set; }

        /// <summary>Scale of the output tensor (informational float of the tensor entry).</summary>
        public float OutputScale { get; private set; }

        /// <summary>Zero point of the output tensor.</summary>
        public int OutputZeroPoint { get; private set; }

        /// <summary>The class labels (possibly none).</summary>
        public string[] Labels { get; private set; }

        /// <summary>Reads the header of a packed model.</summary>
        /// <param name="blob">The .nnb bytes (the whole blob).</param>
        /// <param name="verifyCrc">Also recompute the CRC over the whole blob (a few hundred kilobytes).</param>
        /// <returns>The model's description.</returns>
        /// <exception cref="ModelFormatException">The blob is not a valid .nnb header.</exception>
        public static ModelInfo Parse(byte[] blob, bool verifyCrc)
        {
            if (blob == null)
            {
                throw new ModelFormatException("no model: the blob is null");
            }

            if (blob.Length < HeaderSize)
            {
                throw new ModelFormatException("truncated: " + blob.Length.ToString() + " bytes is shorter than the 64-byte header");
            }

            if (blob[0] != (byte)'N' || blob[1] != (byte)'N' || blob[2] != (byte)'E' || blob[3] != (byte)'T')
            {
                throw new ModelFormatException("bad magic: the blob does not start with \"NNET\"");
            }

            int version = U16(blob, 4);
            if (version != 1)
            {
                throw new ModelFormatException("unsupported version " + version.ToString() + " (this firmware reads version 1)");
            }

            if (U16(blob, 6) != HeaderSize)
            {
                throw new ModelFormatException("header_size is " + U16(blob, 6).ToString() + ", not 64");
            }

            long total = U32(blob, 8);
            if (total != blob.Length)
            {
                throw new ModelFormatException("total_size is " + total.ToString() + " but the blob has " + blob.Length.ToString() + " bytes");
            }

            var info = new ModelInfo();
            info.TotalSize = blob.Length;
            info.Crc = (uint)U32(blob, 12);
            if (verifyCrc)
            {
                uint crc = Crc32.Update(Crc32.Start, blob, 0, 12);
                for (int i = 0; i < 4; i++)
                {
                    crc = Crc32.UpdateByte(crc, 0);
                }

                crc = Crc32.Finish(Crc32.Update(crc, blob, 16, blob.Length - 16));
                if (crc != info.Crc)
                {
                    throw new ModelFormatException("CRC mismatch: the header says 0x" + info.Crc.ToString("X8") + ", the blob gives 0x" + crc.ToString("X8"));
                }
            }

            info.TensorCount = U16(blob, 20);
            info.OpCount = U16(blob, 22);
            if (info.TensorCount < 1 || info.TensorCount > MaxCount)
            {
                throw new ModelFormatException("tensor_count " + info.TensorCount.ToString() + " is outside 1 .. 1024");
            }

            if (info.OpCount < 1 || info.OpCount > MaxCount)
            {
                throw new ModelFormatException("op_count " + info.OpCount.ToString() + " is outside 1 .. 1024");
            }

            long inputSpec = U32(blob, 24);
            long tensors = U32(blob, 28);
            long labelsOffset = U32(blob, 40);
            int labelCount = U16(blob, 44);
            int inputTensor = U16(blob, 46);
            int outputTensor = U16(blob, 48);
            long dataOffset = U32(blob, 52);
            if (labelCount > MaxCount)
            {
                throw new ModelFormatException("label_count " + labelCount.ToString() + " is above 1024");
            }

            if (inputTensor >= info.TensorCount || outputTensor >= info.TensorCount)
            {
                throw new ModelFormatException("input_tensor " + inputTensor.ToString() + " or output_tensor " + outputTensor.ToString() + " is not below tensor_count " + info.TensorCount.ToString());
            }

            if (tensors < HeaderSize || tensors + ((long)TensorEntrySize * info.TensorCount) > blob.Length)
            {
                throw new ModelFormatException("the tensor table (tensors_offset " + tensors.ToString() + ") lies outside the blob");
            }

            if (dataOffset > blob.Length || labelsOffset < HeaderSize || labelsOffset > dataOffset)
            {
                throw new ModelFormatException("labels_offset " + labelsOffset.ToString() + " / data_offset " + dataOffset.ToString() + " outside the blob or out of order");
            }

            if (inputSpec < HeaderSize || inputSpec + 4 > tensors)
            {
                throw new ModelFormatException("input_spec_offset " + inputSpec.ToString() + " is not between the header and the tensor table");
            }

            ReadInput(info, blob, (int)tensors + (inputTensor * TensorEntrySize));
            ReadInputSpec(info, blob, (int)inputSpec, (int)tensors);
            int outEntry = (int)tensors + (outputTensor * TensorEntrySize);
            int[] outDims = ReadDims(blob, outEntry, "output");
            info.OutputElements = Product(outDims);
            info.OutputScale = System.BitConverter.ToSingle(blob, outEntry + 12);
            info.OutputZeroPoint = (int)U32(blob, outEntry + 16);
            info.Labels = ReadLabels(blob, (int)labelsOffset, labelCount, (int)dataOffset);
            return info;
        }

        /// <summary>The label of a class, or "class N" when the model has no label for it.</summary>
        /// <param name="index">Class index.</param>
        /// <returns>The label.</returns>
        public string LabelOf(int index)
        {
            if (index >= 0 && index < Labels.Length)
            {
                return Labels[index];
            }

            return "class " + index.ToString();
        }

        private static void ReadInput(ModelInfo info, byte[] blob, int entry)
        {
            int[] dims = ReadDims(blob, entry, "input");
            info.InputDims = dims;
            int rank = dims.Length;
            info.InputChannels = dims[rank - 1];
            info.InputWidth = rank >= 2 ? dims[rank - 2] : 1;
            info.InputHeight = rank >= 3 ? dims[rank - 3] : 1;
            info.InputElements = Product(dims);
            info.InputZeroPoint = (int)U32(blob, entry + 16);
        }

        private static void ReadInputSpec(ModelInfo info, byte[] blob, int spec, int limit)
        {
            int layout = blob[spec];
            int luts = blob[spec + 1];
            if (layout > LayoutRgb888)
            {
                throw new ModelFormatException("input spec: colour_layout " + layout.ToString() + " is not 0 (RAW), 1 (GRAY8) or 2 (RGB888)");
            }

            bool lutsOk = layout == LayoutRaw ? luts == 0 : (layout == LayoutGray8 ? luts == 1 : (luts == 1 || luts == 3));
            if (!lutsOk)
            {
                throw new ModelFormatException("input spec: lut_count " + luts.ToString() + " does not fit colour layout " + layout.ToString());
            }

            if ((layout == LayoutGray8 && info.InputChannels != 1) || (layout == LayoutRgb888 && info.InputChannels != 3))
            {
                throw new ModelFormatException("input spec: colour layout " + layout.ToString() + " but the input tensor has " + info.InputChannels.ToString() + " channel(s)");
            }

            if ((long)spec + 4 + (256L * luts) > limit)
            {
                throw new ModelFormatException("input spec: the pixel tables run into the tensor table");
            }

            info.ColourLayout = layout;
            info.PixelTables = new sbyte[luts][];
            for (int t = 0; t < luts; t++)
            {
                var table = new sbyte[256];
                int at = spec + 4 + (256 * t);
                for (int i = 0; i < 256; i++)
                {
                    table[i] = (sbyte)blob[at + i];
                }

                info.PixelTables[t] = table;
            }
        }

        private static int[] ReadDims(byte[] blob, int entry, string which)
        {
            int rank = blob[entry + 1];
            if (rank < 1 || rank > 4)
            {
                throw new ModelFormatException(which + " tensor: rank " + rank.ToString() + " is outside 1 .. 4");
            }

            var dims = new int[rank];
            long count = 1;
            for (int d = 0; d < rank; d++)
            {
                dims[d] = U16(blob, entry + 4 + (2 * d));
                if (dims[d] < 1 || dims[d] > MaxDim)
                {
                    throw new ModelFormatException(which + " tensor: dim " + d.ToString() + " is " + dims[d].ToString() + ", outside 1 .. 4096");
                }

                count *= dims[d];
            }

            if (count > MaxElements)
            {
                throw new ModelFormatException(which + " tensor: " + count.ToString() + " elements is above 4 Mi");
            }

            return dims;
        }

        private static string[] ReadLabels(byte[] blob, int at, int count, int end)
        {
            var labels = new string[count];
            int p = at;
            for (int i = 0; i < count; i++)
            {
                if (p >= end)
                {
                    throw new ModelFormatException("label table: label " + i.ToString() + " starts past the data section");
                }

                int len = blob[p];
                if (p + 1 + len > end)
                {
                    throw new ModelFormatException("label table: label " + i.ToString() + " runs into the data section");
                }

                labels[i] = Utf8.Decode(blob, p + 1, len);
                p += 1 + len;
            }

            return labels;
        }

        private static int Product(int[] dims)
        {
            int n = 1;
            for (int i = 0; i < dims.Length; i++)
            {
                n *= dims[i];
            }

            return n;
        }

        private static int U16(byte[] b, int at)
        {
            return b[at] | (b[at + 1] << 8);
        }

        private static long U32(byte[] b, int at)
        {
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
        }
    }
}
