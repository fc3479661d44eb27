namespace Nanonet.Core
{
    /// <summary>
    /// Exact area-average resize in integer arithmetic, the one implementation of it: the host pipeline
    /// (host-tools/Nanonet.Imaging/AreaResampler.cs) calls this class through Nanonet.Core.Host, so the board and
    /// the PC turn the same pixels into the same bytes. Along one axis, with source coordinates scaled by the destination
    /// size d and destination coordinates by the source size s, source pixel k spans [k d, (k + 1) d) and destination
    /// pixel i spans [i s, (i + 1) s); the weights are the overlaps. A destination value is
    /// (sum of wx * wy * p + S / 2) / S with S = srcWidth * srcHeight (64-bit sums, round half up, once).
    /// <para>
    /// Each destination row is computed from the source rows under it, keeping only one row of 64-bit sums (little
    /// memory, as a board needs). One instance caches the weights of one size pair.
    /// </para>
    /// </summary>
    public sealed class AreaResizer
    {
        private readonly int srcWidth;
        private readonly int srcHeight;
        private readonly int dstWidth;
        private readonly int dstHeight;
        private readonly int channels;
        private readonly int[] colFirst;
        private readonly int[] colCount;
        private readonly int[] colOffset;
        private readonly int[] colWeight;
        private readonly int[] rowFirst;
        private readonly int[] rowCount;
        private readonly int[] rowOffset;
        private readonly int[] rowWeight;
        private readonly long[] acc;

        /// <summary>Prepares a resize between two sizes.</summary>
        /// <param name="srcWidth">Source width (at least 1).</param>
        /// <param name="srcHeight">Source height (at least 1).</param>
        /// <param name="channels">Interleaved values per pixel (at least 1).</param>
        /// <param name="dstWidth">Destination width (at least 1).</param>
        /// <param name="dstHeight">Destination height (at least 1).</param>
        public AreaResizer(int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight)
        {
            if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1 || channels < 1)
            {
                throw new System.ArgumentException("invalid resize " + srcWidth.ToString() + "x" + srcHeight.ToString() + " -> " + dstWidth.ToString() + "x" + dstHeight.ToString());
            }

            this.srcWidth = srcWidth;
            this.srcHeight = srcHeight;
            this.dstWidth = dstWidth;
            this.dstHeight = dstHeight;
            this.channels = channels;
            colFirst = new int[dstWidth];
            colCount = new int[dstWidth];
            colOffset = new int[dstWidth];
            colWeight = Build(srcWidth, dstWidth, colFirst, colCount, colOffset);
            rowFirst = new int[dstHeight];
            rowCount = new int[dstHeight];
            rowOffset = new int[dstHeight];
            rowWeight = Build(srcHeight, dstHeight, rowFirst, rowCount, rowOffset);
            acc = new long[dstWidth * channels];
        }

        /// <summary>True when this instance resizes between exactly these sizes.</summary>
        /// <param name="srcW">Source width.</param>
        /// <param name="srcH">Source height.</param>
        /// <param name="ch">Channels.</param>
        /// <param name="dstW">Destination width.</param>
        /// <param name="dstH">Destination height.</param>
        /// <returns>Whether the sizes match.</returns>
        public bool Matches(int srcW, int srcH, int ch, int dstW, int dstH)
        {
            return srcW == srcWidth && srcH == srcHeight && ch == channels && dstW == dstWidth && dstH == dstHeight;
        }

        /// <summary>Resizes srcWidth x srcHeight x channels bytes into dstWidth x dstHeight x channels bytes.</summary>
        /// <param name="source">The source pixels (at least srcWidth * srcHeight * channels bytes).</param>
        /// <param name="destination">Receives the result (at least dstWidth * dstHeight * channels bytes).</param>
        public void Resize(byte[] source, byte[] destination)
        {
            int rowValues = dstWidth * channels;
            if (source == null || destination == null || source.Length < srcWidth * srcHeight * channels || destination.Length < dstHeight * rowValues)
            {
                throw new System.ArgumentException("buffers too small for the resize");
            }

            long area = (long)srcWidth * srcHeight;
            long half = area / 2;
            int srcStride = srcWidth * channels;
            for (int y = 0; y < dstHeight; y++)
            {
                for (int v = 0; v < rowValues; v++)
                {
                    acc[v] = 0;
                }

                int firstRow = rowFirst[y];
                int rows = rowCount[y];
                int r0 = rowOffset[y];
                for (int k = 0; k < rows; k++)
                {
                    long wy = rowWeight[r0 + k];
                    int srcRow = (firstRow + k) * srcStride;
                    for (int x = 0; x < dstWidth; x++)
                    {
                        int first = colFirst[x];
                        int count = colCount[x];
                        int w0 = colOffset[x];
                        for (int c = 0; c < channels; c++)
                        {
                            int sum = 0;
                            for (int j = 0; j < count; j++)
                            {
                                sum += colWeight[w0 + j] * source[srcRow + ((first + j) * channels) + c];
                            }

                            acc[(x * channels) + c] += wy * sum;
                        }
                    }
                }

                int dstRow = y * rowValues;
                for (int v = 0; v < rowValues; v++)
                {
                    destination[dstRow + v] = (byte)((acc[v] + half) / area);
                }
            }
        }

        private static int[] Build(int src, int dst, int[] first, int[] count, int[] offset)
        {
            // Each destination index overlaps at most ceil(src / dst) + 1 source indices: src + dst weights in all.
            var weights = new int[src + dst];
            int n = 0;
            for (int i = 0; i < dst; i++)
            {
                long lo = (long)i * src;
                long hi = lo + src;
                int k0 = (int)(lo / dst);
                int k1 = (int)((hi - 1) / dst);
                first[i] = k0;
                count[i] = k1 - k0 + 1;
                offset[i] = n;
                for (int k = k0; k <= k1; k++)
                {
                    long end = (long)(k + 1) * dst;
                    long start = (long)k * dst;
                    long overlap = (hi < end ? hi : end) - (lo > start ? lo : start);
                    weights[n++] = (int)overlap;
                }
            }

            return weights;
        }
    }
}
